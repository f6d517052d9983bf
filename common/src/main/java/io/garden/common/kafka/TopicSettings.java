package io.garden.common.kafka;

import io.garden.common.config.NumberSetting;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How the topics are laid out on a cluster, from the environment:
 * <ul>
 *   <li>{@code GARDEN_TOPIC_REPLICATION}: copies of each partition (default 1, right for one broker; 3 on a
 *   cluster);</li>
 *   <li>{@code GARDEN_TOPIC_MIN_INSYNC_REPLICAS}: copies that must have a write before it counts (producers use
 *   {@code acks=all}); default one less than the replication, at least 1, so one broker may be down;</li>
 *   <li>{@code GARDEN_EVENTS_RETENTION_DAYS}: how long {@code garden.events}, the audit log, is kept (default 365;
 *   {@code -1} keeps it forever).</li>
 * </ul>
 */
public record TopicSettings(short replication, short minInsyncReplicas, long eventsRetentionMs) {

  public static final long DEFAULT_RETENTION_DAYS = 365;
  /** One broker (garden up, tests): one copy, and a write counts when that copy has it. */
  public static final TopicSettings SINGLE_BROKER =
      new TopicSettings((short) 1, (short) 1, Duration.ofDays(DEFAULT_RETENTION_DAYS).toMillis());

  public TopicSettings {
    if (replication < 1) {
      throw new IllegalArgumentException("GARDEN_TOPIC_REPLICATION must be at least 1, was " + replication);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replication) {
      throw new IllegalArgumentException("GARDEN_TOPIC_MIN_INSYNC_REPLICAS must be between 1 and"
          + " GARDEN_TOPIC_REPLICATION (" + replication + "), was " + minInsyncReplicas
          + ": with more, no write could ever succeed");
    }
    if (eventsRetentionMs < -1 || eventsRetentionMs == 0) {
      throw new IllegalArgumentException("GARDEN_EVENTS_RETENTION_DAYS must be a positive number of days, or -1"
          + " to keep the audit log forever");
    }
  }

  public static TopicSettings fromEnv(Map<String, String> env) {
    short replication = copies(env, "GARDEN_TOPIC_REPLICATION", (short) 1);
    short minInsync = copies(env, "GARDEN_TOPIC_MIN_INSYNC_REPLICAS",
        (short) Math.max(1, replication - 1));
    long days = NumberSetting.read(env, "GARDEN_EVENTS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, Long.MIN_VALUE,
        Long.MAX_VALUE, "a whole number");
    return new TopicSettings(replication, minInsync, days == -1 ? -1 : Duration.ofDays(days).toMillis());
  }

  /** The topic configs to create {@code spec} with, or to bring an existing topic to. */
  public Map<String, String> configs(Topics.Spec spec) {
    Map<String, String> configs = new HashMap<>(spec.configs());
    configs.put("min.insync.replicas", Short.toString(minInsyncReplicas));
    if (spec.name().equals(Topics.EVENTS)) {
      configs.put("retention.ms", Long.toString(eventsRetentionMs));
    }
    return configs;
  }

  private static short copies(Map<String, String> env, String name, short fallback) {
    return (short) NumberSetting.read(env, name, fallback, 1, Short.MAX_VALUE, "a positive whole number");
  }
}
