package io.garden.gateway.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class EndedPipelinesTest {

  private Instant now = Instant.parse("2026-12-04T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  @DisplayName("an ended pipeline is remembered for the retention, then forgotten: memory follows the rate, not history")
  void forgetsAfterRetention() {
    EndedPipelines ended = new EndedPipelines(clock);
    ended.add("p-1");
    now = now.plus(EndedPipelines.RETENTION.minus(Duration.ofMinutes(1)));
    ended.add("p-2");
    assertThat(ended.contains("p-1")).isTrue();

    now = now.plus(Duration.ofMinutes(2));
    ended.add("p-3");

    assertThat(ended.contains("p-1")).isFalse();
    assertThat(ended.contains("p-2")).isTrue();
    assertThat(ended.contains("p-3")).isTrue();
    assertThat(ended.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("ending twice keeps the first time")
  void endingTwiceKeepsTheFirstTime() {
    EndedPipelines ended = new EndedPipelines(clock);
    ended.add("p-1");
    now = now.plus(EndedPipelines.RETENTION.minus(Duration.ofMinutes(1)));
    ended.add("p-1");
    now = now.plus(Duration.ofMinutes(2));
    ended.add("p-2");
    assertThat(ended.contains("p-1")).isFalse();
  }
}
