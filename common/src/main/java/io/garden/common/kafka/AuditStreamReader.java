package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.MalformedEventException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the whole audit stream ({@code garden.events}, every partition) from a chosen position, outside any
 * consumer group: the coordinator and the gateway rebuild their state from it, and each event-stream client of
 * the gateway follows it from where it asked. {@link #caughtUp()} completes once everything that was on the stream
 * when reading began has been handed over.
 */
public final class AuditStreamReader {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreamReader.class);

  /** One event with its place in the stream. */
  public record Positioned(int partition, long offset, Envelope envelope) {
  }

  /**
   * Where reading starts: the next offset per partition; a partition not named starts at its beginning, or at its
   * end when {@code restAtEnd}.
   */
  public record StartAt(Map<Integer, Long> offsets, boolean restAtEnd, java.time.Instant time) {

    public StartAt {
      offsets = Map.copyOf(offsets);
    }

    public StartAt(Map<Integer, Long> offsets, boolean restAtEnd) {
      this(offsets, restAtEnd, null);
    }

    /** The first event written at or after {@code time}, in every partition (found by Kafka's time index). */
    public static StartAt since(java.time.Instant time) {
      return new StartAt(Map.of(), true, time);
    }

    public static StartAt beginning() {
      return new StartAt(Map.of(), false);
    }

    /** Only what comes next. */
    public static StartAt end() {
      return new StartAt(Map.of(), true);
    }

    public static StartAt at(Map<Integer, Long> offsets) {
      return new StartAt(offsets, false);
    }
  }

  /** How often a reader still behind looks whether what it has yet to read was deleted under it. */
  private static final long DELETION_CHECK_MS = 1000;

  private final KafkaConsumer<String, byte[]> consumer;
  private Vertx vertx;
  private long deletionCheck = -1;
  private final Promise<Void> caughtUp = Promise.promise();
  private final Map<Integer, Long> remaining = new HashMap<>();
  private final Map<Integer, Long> next = new HashMap<>();
  /** Where a replayed stretch ends, per partition: nothing from there on is handed over. */
  private final Map<Integer, Long> stops = new HashMap<>();
  private Set<TopicPartition> assigned = Set.of();
  private final EventCodec codec = EventCodec.shared();

  private AuditStreamReader(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /**
   * @param from     where to start
   * @param handler  gets every decodable event in partition order (a record that is not an event is logged and
   *                 skipped: dead-lettering belongs to the consumer it was meant for)
   */
  public static Future<AuditStreamReader> open(Vertx vertx, KafkaSettings settings, String name,
                                               StartAt from, Consumer<Positioned> handler) {
    return open(vertx, settings, name, from, Map.of(), handler);
  }

  /**
   * Reads a stretch of the stream: from {@code from} up to (not including) {@code until}, per partition; the
   * partitions {@code until} does not name to their end. {@link #caughtUp()} completes at the end of the stretch.
   */
  public static Future<AuditStreamReader> replay(Vertx vertx, KafkaSettings settings, String name,
                                                 StartAt from, Map<Integer, Long> until,
                                                 Consumer<Positioned> handler) {
    return open(vertx, settings, name, from, until, handler);
  }

  private static Future<AuditStreamReader> open(Vertx vertx, KafkaSettings settings, String name,
                                                StartAt from, Map<Integer, Long> until, Consumer<Positioned> handler) {
    // A fresh group that never commits: reading the audit stream must not move anyone else's position.
    KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx, settings
        .withConsumerOverrides(Map.of("auto.offset.reset", "earliest", "enable.auto.commit", "false"))
        .consumer(name + "-" + UUID.randomUUID()));
    AuditStreamReader reader = new AuditStreamReader(consumer);
    consumer.exceptionHandler(e -> LOG.warn("{}: {}", name, e.getMessage()));
    return consumer.partitionsFor(Topics.EVENTS)
        .map(infos -> infos.stream().map(i -> new TopicPartition(Topics.EVENTS, i.getPartition()))
            .collect(Collectors.toSet()))
        .compose(partitions -> consumer.assign(partitions)
            .compose(v -> byTime(consumer, partitions, from))
            .compose(start -> consumer.beginningOffsets(partitions).compose(beginnings ->
                consumer.endOffsets(partitions).compose(ends ->
                    reader.position(partitions, beginnings, ends, start, until)))))
        .compose(v -> {
          consumer.handler(record -> reader.deliver(record, handler));
          reader.watchForDeletions(vertx, name);
          return Future.succeededFuture(reader);
        })
        .recover(e -> consumer.close().transform(x -> Future.failedFuture(e)));
  }

  /** A start by time made into offsets; any other start as it is. */
  private static Future<StartAt> byTime(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> partitions,
                                        StartAt from) {
    if (from.time() == null) {
      return Future.succeededFuture(from);
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(tp -> times.put(tp, from.time().toEpochMilli()));
    return consumer.offsetsForTimes(times).map(found -> {
      Map<Integer, Long> offsets = new HashMap<>();
      // A partition with nothing that recent is left out: it starts at its end (restAtEnd).
      found.forEach((tp, at) -> {
        if (at != null) {
          offsets.put(tp.getPartition(), at.getOffset());
        }
      });
      return new StartAt(offsets, true);
    });
  }

  private Future<Void> position(Set<TopicPartition> partitions, Map<TopicPartition, Long> beginnings,
                                Map<TopicPartition, Long> ends, StartAt from, Map<Integer, Long> until) {
    Future<Void> seeks = Future.succeededFuture();
    assigned = Set.copyOf(partitions);
    for (TopicPartition tp : partitions) {
      long end = Math.min(ends.getOrDefault(tp, 0L), until.getOrDefault(tp.getPartition(), Long.MAX_VALUE));
      if (until.containsKey(tp.getPartition())) {
        stops.put(tp.getPartition(), end);
      }
      long begin = beginnings.getOrDefault(tp, 0L);
      Long asked = from.offsets().get(tp.getPartition());
      long start = asked == null ? (from.restAtEnd() ? end : begin) : Math.max(begin, Math.min(end, asked));
      next.put(tp.getPartition(), start);
      if (start < end) {
        remaining.put(tp.getPartition(), end);
      }
      seeks = seeks.compose(v -> consumer.seek(tp, start));
    }
    if (remaining.isEmpty()) {
      caughtUp.tryComplete();
    }
    return seeks;
  }

  private void deliver(KafkaConsumerRecord<String, byte[]> record, Consumer<Positioned> handler) {
    Long stop = stops.get(record.partition());
    if (stop != null && record.offset() >= stop) {
      return;
    }
    next.put(record.partition(), record.offset() + 1);
    try {
      handler.accept(new Positioned(record.partition(), record.offset(), codec.decode(record.value())));
    } catch (MalformedEventException e) {
      LOG.warn("skipping {}-{}@{} on the audit stream: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
    }
    Long end = remaining.get(record.partition());
    if (end != null && record.offset() + 1 >= end) {
      remaining.remove(record.partition());
      if (remaining.isEmpty()) {
        caughtUp.tryComplete();
      }
    }
  }

  /**
   * Retention (or an operator's delete-records) may remove events this reader has not reached yet: the consumer
   * then skips to the new beginning, the last event of the stretch never arrives, and caught-up would never be
   * said. So while behind, the beginning of each partition is looked at now and then; one that has moved past
   * the end of the stretch has nothing more to hand over.
   */
  private void watchForDeletions(Vertx vertx, String name) {
    if (caughtUp.future().isComplete()) {
      return;
    }
    this.vertx = vertx;
    deletionCheck = vertx.setPeriodic(DELETION_CHECK_MS, id -> {
      if (remaining.isEmpty()) {
        return;
      }
      Set<TopicPartition> behind = remaining.keySet().stream().map(p -> new TopicPartition(Topics.EVENTS, p))
          .collect(Collectors.toSet());
      consumer.beginningOffsets(behind).onSuccess(beginnings -> beginnings.forEach((tp, beginning) -> {
        Long end = remaining.get(tp.getPartition());
        if (end != null && beginning >= end) {
          LOG.warn("{}: events {}-{} up to offset {} were deleted before they were read (retention?); going on "
              + "without them", name, tp.getTopic(), tp.getPartition(), beginning);
          remaining.remove(tp.getPartition());
          if (remaining.isEmpty()) {
            caughtUp.tryComplete();
          }
        }
      }));
    });
    caughtUp.future().onComplete(done -> vertx.cancelTimer(deletionCheck));
  }

  /** Completes when every event that was on the stream when reading began has been handed over. */
  public Future<Void> caughtUp() {
    return caughtUp.future();
  }

  /** Where the stream ends now, per partition: the offset the next event written there will get. */
  public Future<Map<Integer, Long>> ends() {
    return consumer.endOffsets(assigned).map(ends -> {
      Map<Integer, Long> byPartition = new HashMap<>();
      ends.forEach((tp, end) -> byPartition.put(tp.getPartition(), end));
      return byPartition;
    });
  }

  /** The next offset to read in each partition: a position to resume from later. */
  public Map<Integer, Long> positions() {
    return Map.copyOf(next);
  }

  /** Stops handing events over (a slow reader downstream); what was fetched waits, nothing more is fetched. */
  public void pause() {
    consumer.pause();
  }

  public void resume() {
    consumer.resume();
  }

  public Future<Void> close() {
    if (vertx != null) {
      vertx.cancelTimer(deletionCheck);
    }
    return consumer.close();
  }
}
