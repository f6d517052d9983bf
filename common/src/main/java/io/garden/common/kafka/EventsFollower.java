package io.garden.common.kafka;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code garden.events} followed in a consumer group of its own from now on, for a part that tells the outside world
 * (commit statuses, plan comments, notices): records are committed in batches once their handler says they are
 * done ({@link #finished}), in offset order per partition, so a restart hands over what was not done, again. A new
 * group starts at the end: a reporter starting for the first time does not report the whole history.
 */
public final class EventsFollower {

  /** How often finished records are committed. */
  private static final long COMMIT_INTERVAL_MS = 200;

  private final KafkaConsumer<String, byte[]> consumer;
  private final BatchedCommits commits;

  private EventsFollower(KafkaConsumer<String, byte[]> consumer, BatchedCommits commits) {
    this.consumer = consumer;
    this.commits = commits;
  }

  /** Made in a verticle's {@code start()}: its timers and handlers are the verticle's. */
  public static EventsFollower fromNow(Vertx vertx, KafkaSettings kafka, String group) {
    Map<String, String> config = new HashMap<>(kafka.consumer(group));
    config.put("auto.offset.reset", "latest");
    KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx, config);
    consumer.pollTimeout(Duration.ofMillis(100));
    BatchedCommits commits = new BatchedCommits(vertx, consumer, Topics.EVENTS, COMMIT_INTERVAL_MS, group);
    consumer.partitionsRevokedHandler(revoked -> revoked.forEach(tp -> commits.revoked(tp.getPartition())));
    return new EventsFollower(consumer, commits);
  }

  /** Hands every record to {@code handler}, which calls {@link #finished} when it is done with it. */
  public Future<Void> follow(Handler<KafkaConsumerRecord<String, byte[]>> handler) {
    consumer.handler(record -> {
      commits.started(record);
      handler.handle(record);
    });
    return consumer.subscribe(Topics.EVENTS);
  }

  public void finished(KafkaConsumerRecord<String, byte[]> record) {
    commits.finished(record);
  }

  /** Stops fetching (too much in hand); what was fetched still comes. */
  public void pause() {
    consumer.pause();
  }

  public void resume() {
    consumer.resume();
  }

  /** Commits what is done, then leaves the group. */
  public Future<Void> close() {
    return commits.close().eventually(consumer::close);
  }
}
