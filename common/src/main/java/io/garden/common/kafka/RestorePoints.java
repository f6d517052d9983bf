package io.garden.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Restore points on the audit stream, kept by Kafka itself: the offsets of a consumer group that has no members
 * (nobody ever joins it), written with the admin API. A fold that restarts reads from its restore point instead of
 * from the beginning, so its start-up costs what is open, not what ever happened. Blocking: call from a worker
 * thread ({@code executeBlocking}).
 */
public final class RestorePoints {

  private static final long TIMEOUT_SECONDS = 10;

  private RestorePoints() {
  }

  /** The group that holds {@code name}'s restore point. */
  public static String group(String name) {
    return "garden-restore-" + name;
  }

  /** The restore point of {@code name}: next offset per partition of {@code garden.events}; empty when none yet. */
  public static Map<Integer, Long> read(Admin admin, String name) {
    Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group(name))
        .partitionsToOffsetAndMetadata());
    Map<Integer, Long> offsets = new HashMap<>();
    committed.forEach((tp, om) -> {
      if (tp.topic().equals(Topics.EVENTS) && om != null) {
        offsets.put(tp.partition(), om.offset());
      }
    });
    return offsets;
  }

  /** Moves {@code name}'s restore point; partitions not named keep theirs. */
  public static void write(Admin admin, String name, Map<Integer, Long> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((p, o) -> commit.put(new TopicPartition(Topics.EVENTS, p), new OffsetAndMetadata(o)));
    await(admin.alterConsumerGroupOffsets(group(name), commit).all());
  }

  /**
   * Per partition, the first offset of an event written at or after {@code time} (the end of a partition that has
   * none): where a window of time on the audit stream begins.
   */
  public static Map<Integer, Long> since(Admin admin, Instant time) {
    int partitions = await(admin.describeTopics(java.util.List.of(Topics.EVENTS)).allTopicNames())
        .get(Topics.EVENTS).partitions().size();
    Map<TopicPartition, OffsetSpec> at = new HashMap<>();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      at.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.forTimestamp(time.toEpochMilli()));
      ends.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = await(admin.listOffsets(at).all());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = await(admin.listOffsets(ends).all());
    Map<Integer, Long> offsets = new HashMap<>();
    latest.forEach((tp, end) -> {
      ListOffsetsResult.ListOffsetsResultInfo hit = found.get(tp);
      // -1: no event that recent in this partition, so the window starts at its end.
      offsets.put(tp.partition(), hit == null || hit.offset() < 0 ? end.offset() : hit.offset());
    });
    return offsets;
  }

  /** Per partition, the earlier of two positions; a partition only one of them names starts at its beginning. */
  public static Map<Integer, Long> earlier(Map<Integer, Long> a, Map<Integer, Long> b) {
    Map<Integer, Long> min = new HashMap<>();
    for (Integer p : a.keySet()) {
      if (b.containsKey(p)) {
        min.put(p, Math.min(a.get(p), b.get(p)));
      }
    }
    return min;
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException("Kafka refused a restore-point request: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not answer a restore-point request within " + TIMEOUT_SECONDS
          + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    }
  }
}
