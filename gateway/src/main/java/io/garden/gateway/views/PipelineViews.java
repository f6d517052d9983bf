package io.garden.gateway.views;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineRequested;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.KafkaSettings;
import io.garden.gateway.coordinator.PipelineRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the API answers about pipelines: every pipeline on the audit stream folded into a {@link PipelineRun}, plus
 * the ones this gateway accepted that the coordinator has not started yet (queued). Also remembers where each
 * pipeline's first event is, so an event stream for one pipeline can start there.
 */
public final class PipelineViews {

  /** A pipeline accepted here and not yet seen on the audit stream. */
  public record Queued(String id, PipelineRequested request, String actor, Instant at) {
  }

  private final Map<String, PipelineRun> runs = new LinkedHashMap<>();
  private final Map<String, Queued> queued = new LinkedHashMap<>();
  private final Map<String, AuditStreamReader.Positioned> firstEvents = new HashMap<>();
  private final OffsetWaiters folded = new OffsetWaiters();
  private final EventCodec codec = EventCodec.shared();
  private AuditStreamReader reader;
  private boolean caughtUp;

  /**
   * Starts reading the audit stream from its beginning.
   *
   * @param listener told of each event after it is folded in, with whether it is live (not part of the replay)
   */
  public Future<Void> start(Vertx vertx, KafkaSettings settings,
                            BiConsumer<AuditStreamReader.Positioned, Boolean> listener) {
    return AuditStreamReader.open(vertx, settings, "gateway-views", AuditStreamReader.StartAt.beginning(), event -> {
          fold(event);
          listener.accept(event, caughtUp);
          folded.reached(event.partition(), event.offset());
        })
        .compose(r -> {
          reader = r;
          return r.caughtUp();
        })
        .onSuccess(v -> caughtUp = true);
  }

  public Future<Void> stop() {
    folded.failAll("the gateway is stopping");
    return reader == null ? Future.succeededFuture() : reader.close();
  }

  private void fold(AuditStreamReader.Positioned event) {
    Envelope envelope = event.envelope();
    String id = envelope.pipelineId();
    if (id == null) {
      return;
    }
    EventPayload payload;
    try {
      payload = codec.payload(envelope);
    } catch (MalformedEventException e) {
      return;
    }
    firstEvents.putIfAbsent(id, event);
    runs.computeIfAbsent(id, PipelineRun::new).apply(envelope, payload);
    queued.remove(id);
  }

  /**
   * Completes once this view has folded in the event at {@code offset}, so that whoever was shown that event
   * (an event stream reads with its own consumer) finds the API already agreeing with it.
   */
  public Future<Void> seen(int partition, long offset) {
    return folded.await(partition, offset, positions().get(partition));
  }

  public void accepted(Queued pipeline) {
    if (!runs.containsKey(pipeline.id())) {
      queued.put(pipeline.id(), pipeline);
    }
  }

  public Optional<PipelineRun> run(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  public Optional<Queued> queued(String id) {
    return Optional.ofNullable(queued.get(id));
  }

  public boolean knows(String id) {
    return runs.containsKey(id) || queued.containsKey(id);
  }

  /** Where the pipeline's first event is, when it has one yet. */
  public Optional<AuditStreamReader.Positioned> firstEvent(String id) {
    return Optional.ofNullable(firstEvents.get(id));
  }

  /** The next offset this view will read in each partition: nothing it has not seen lies before it. */
  public Map<Integer, Long> positions() {
    return reader == null ? Map.of() : reader.positions();
  }

  /** The most recent first (by request or start time). */
  public List<PipelineRun> recent() {
    return runs.values().stream()
        .filter(r -> r.started().isPresent() || r.finished().isPresent())
        .sorted(Comparator.comparing(PipelineViews::since).reversed())
        .toList();
  }

  public List<Queued> queued() {
    return List.copyOf(queued.values());
  }

  private static Instant since(PipelineRun run) {
    return run.requestedAt().or(() -> run.startedEvent().map(Envelope::time))
        .or(() -> run.finishedEvent().map(Envelope::time)).orElse(Instant.EPOCH);
  }
}
