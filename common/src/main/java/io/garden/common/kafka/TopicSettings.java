package io.garden.common.kafka;

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
    short replication = shortSetting(env, "GARDEN_TOPIC_REPLICATION", (short) 1);
    short minInsync = shortSetting(env, "GARDEN_TOPIC_MIN_INSYNC_REPLICAS",
        (short) Math.max(1, replication - 1));
    long days = longSetting(env, "GARDEN_EVENTS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS);
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

  private static short shortSetting(Map<String, String> env, String name, short fallback) {
    long value;
    try {
      value = longSetting(env, name, fallback);
    } catch (IllegalArgumentException e) {
      value = 0;
    }
    if (value < 1 || value > Short.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a positive whole number, was '" + env.get(name) + "'");
    }
    return (short) value;
  }

  private static long longSetting(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
  }
}
