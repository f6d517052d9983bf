package io.garden.cli.remote;

import io.garden.common.event.BuildProgress;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderTest {

  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private static Envelope at(int seconds, String line) {
    Envelope e = EventCodec.shared().envelope(new BuildProgress("apps/a", line),
        new EventContext("p", "c", "alice", "test"));
    return new Envelope(e.id(), e.type(), e.version(), T0.plusSeconds(seconds), e.pipelineId(), e.correlationId(),
        e.actor(), e.source(), e.causationId(), e.data());
  }

  private static List<String> lines(List<Envelope> events) {
    return events.stream().map(e -> e.data().path("line").asText()).toList();
  }

  @Test
  @DisplayName("partitions read in chunks come out in time order once the stream caught up")
  void interleavedPartitionsComeOutInTimeOrder() {
    List<Envelope> out = new ArrayList<>();
    TimeOrder order = new TimeOrder(100, out::add);
    // partition 0 then partition 1, as a reader hands them over
    List.of(at(1, "a1"), at(3, "a3"), at(5, "a5"), at(2, "b2"), at(4, "b4")).forEach(order::add);
    assertThat(out).isEmpty();

    order.caughtUp();

    assertThat(lines(out)).containsExactly("a1", "b2", "a3", "b4", "a5");
  }

  @Test
  @DisplayName("the buffer is bounded: beyond its capacity the oldest leaves at once")
  void boundedBuffer() {
    List<Envelope> out = new ArrayList<>();
    TimeOrder order = new TimeOrder(2, out::add);
    order.add(at(3, "c"));
    order.add(at(1, "a"));
    order.add(at(2, "b"));
    assertThat(lines(out)).containsExactly("a");
  }

  @Test
  @DisplayName("equal times keep their order, and live events pass straight through")
  void equalTimesKeepOrderAndLivePassesThrough() {
    List<Envelope> out = new ArrayList<>();
    TimeOrder order = new TimeOrder(10, out::add);
    order.add(at(1, "first"));
    order.add(at(1, "second"));
    order.caughtUp();
    order.add(at(0, "live, however it is dated"));
    assertThat(lines(out)).containsExactly("first", "second", "live, however it is dated");
  }
}
