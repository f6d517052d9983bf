package io.garden.common.kafka;

import java.util.List;
import java.util.Map;

/** Every topic name in the system, with the layout each must have. The only place these strings appear. */
public final class Topics {

  public static final String PIPELINE_REQUESTS = "garden.pipeline.requests";
  public static final String BUILD_REQUESTS = "garden.build.requests";
  public static final String VALIDATE_REQUESTS = "garden.validate.requests";
  public static final String REGISTRY_REQUESTS = "garden.registry.requests";
  /** Serialises publishing: its single consumer is the only publisher at a time. Must have exactly 1 partition. */
  public static final String REGISTRY_PUBLISH = "garden.registry.publish";
  public static final String EVENTS = "garden.events";
  public static final String DEADLETTER = "garden.deadletter";

  /** Header names on dead-lettered records. */
  public static final String HEADER_ERROR = "garden.error";
  public static final String HEADER_ERROR_KIND = "garden.error.kind";
  public static final String HEADER_ORIGINAL_TOPIC = "garden.original.topic";
  public static final String HEADER_ORIGINAL_PARTITION = "garden.original.partition";
  public static final String HEADER_ORIGINAL_OFFSET = "garden.original.offset";
  public static final String HEADER_CONSUMER = "garden.consumer";

  private static final long YEAR_MS = 365L * 24 * 60 * 60 * 1000;

  /** How a topic must be laid out; {@code exactPartitions} means an existing topic with another count is refused. */
  public record Spec(String name, int partitions, boolean exactPartitions, Map<String, String> configs) {
  }

  public static final List<Spec> ALL = List.of(
      new Spec(PIPELINE_REQUESTS, 3, false, Map.of()),
      new Spec(BUILD_REQUESTS, 3, false, Map.of()),
      new Spec(VALIDATE_REQUESTS, 3, false, Map.of()),
      new Spec(REGISTRY_REQUESTS, 3, false, Map.of()),
      new Spec(REGISTRY_PUBLISH, 1, true, Map.of()),
      // The audit log: kept a year by default (TopicSettings), so a coordinator can rebuild its state and
      // operators can look back.
      new Spec(EVENTS, 3, false, Map.of()),
      new Spec(DEADLETTER, 1, false, Map.of("retention.ms", Long.toString(YEAR_MS))));

  private Topics() {
  }

  public static List<String> names() {
    return ALL.stream().map(Spec::name).toList();
  }
}
