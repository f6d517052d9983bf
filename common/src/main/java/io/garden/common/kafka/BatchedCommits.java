package io.garden.common.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Commits a consumer's finished records every {@code interval} instead of one by one. The Vert.x client commits
 * synchronously on the one thread that also polls, so a commit per record costs a broker round trip each and waits
 * behind a poll in progress: a worker finishing many small records would spend its time committing. Committed is
 * always below the oldest record still in progress ({@link CommitWatermarks}); a record finished but not yet
 * committed when the process dies is delivered again, which every handler here tolerates. Use from the consumer's
 * context.
 */
public final class BatchedCommits {

  private static final Logger LOG = LoggerFactory.getLogger(BatchedCommits.class);

  private final Vertx vertx;
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final String owner;
  private final CommitWatermarks watermarks = new CommitWatermarks();
  private final long timer;
  private boolean committing;
  private boolean closing;
  /** Offsets whose commit met a rebalance, per partition: tried again with the next batch. */
  private final Map<Integer, Long> retry = new HashMap<>();

  public BatchedCommits(Vertx vertx, KafkaConsumer<String, byte[]> consumer, String topic, long intervalMs,
                        String owner) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.topic = topic;
    this.owner = owner;
    this.timer = vertx.setPeriodic(intervalMs, t -> flush());
  }

  public void started(KafkaConsumerRecord<String, byte[]> record) {
    watermarks.started(record.partition(), record.offset());
  }

  /** The record's effects are acknowledged: it may be committed with the next batch. */
  public Future<Void> finished(KafkaConsumerRecord<String, byte[]> record) {
    watermarks.finished(record.partition(), record.offset());
    return Future.succeededFuture();
  }

  public void revoked(int partition) {
    watermarks.revoked(partition);
    retry.remove(partition);
  }

  /** A commit refused because the group is rebalancing: expected, and worth trying again once it settled. */
  public static boolean rebalancing(Throwable e) {
    return e instanceof org.apache.kafka.common.errors.RebalanceInProgressException
        || e.getCause() instanceof org.apache.kafka.common.errors.RebalanceInProgressException;
  }

  /** Commits what finished since the last time; one commit in flight at a time. */
  public Future<Void> flush() {
    if (committing) {
      return Future.succeededFuture();
    }
    Map<Integer, Long> offsets = new HashMap<>(retry);
    retry.clear();
    watermarks.advance().forEach((partition, offset) -> offsets.merge(partition, offset, Math::max));
    Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
    offsets.forEach((partition, offset) ->
        due.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset, "")));
    if (due.isEmpty()) {
      return Future.succeededFuture();
    }
    committing = true;
    return consumer.commit(due).<Void>mapEmpty()
        .recover(e -> {
          // After a rebalance another member owns the partition and sees those records again: a repeat, not a loss.
          // While closing (the process is ending) it is expected and not worth a warning on a user's screen.
          String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          if (closing) {
            LOG.debug("{}: last commit of {} while closing failed (seen again by the next member): {}", owner,
                due.keySet(), why);
          } else if (rebalancing(e)) {
            // The group is moving partitions (a member joined or left): commit again with the next batch, for the
            // partitions still ours; a line per try would be a storm for what is a normal moment.
            offsets.forEach(retry::putIfAbsent);
            LOG.debug("{}: commit of {} waits for the group's rebalance: {}", owner, due.keySet(), why);
          } else {
            LOG.warn("{}: commit of {} failed (those records will be seen again): {}", owner, due.keySet(), why);
          }
          return Future.succeededFuture();
        })
        .andThen(done -> committing = false);
  }

  /** Stops the timer and commits what is finished. */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    closing = true;
    committing = false;
    return flush();
  }
}
