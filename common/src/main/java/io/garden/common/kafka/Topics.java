package io.garden.common.kafka;

import io.garden.common.platform.Platform;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
  private static final String PLATFORM_BUILD_PREFIX = "garden.build.platform.";

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

  public static final List<Spec> ALL = Stream.concat(Stream.of(
      new Spec(PIPELINE_REQUESTS, 3, false, Map.of()),
      new Spec(BUILD_REQUESTS, 3, false, Map.of()),
      new Spec(VALIDATE_REQUESTS, 3, false, Map.of()),
      new Spec(REGISTRY_REQUESTS, 3, false, Map.of()),
      new Spec(REGISTRY_PUBLISH, 1, true, Map.of()),
      // The audit log: kept a year by default (TopicSettings), so a coordinator can rebuild its state and
      // operators can look back.
      new Spec(EVENTS, 3, false, Map.of()),
      new Spec(DEADLETTER, 1, false, Map.of("retention.ms", Long.toString(YEAR_MS)))),
      // One per platform garden knows, made with the others: a pipeline's per-platform unit never waits on a topic
      // nobody created.
      Platform.KNOWN.stream().map(p -> new Spec(platformBuild(Platform.parse(p)), 3, false, Map.of()))).toList();

  /**
   * Where the push of one platform's images goes ({@code garden.build.platform.linux-arm64}): only build workers
   * that build that platform consume it.
   */
  public static String platformBuild(Platform platform) {
    return PLATFORM_BUILD_PREFIX + platform.tagSuffix();
  }

  private Topics() {
  }

  public static List<String> names() {
    return ALL.stream().map(Spec::name).toList();
  }
}
