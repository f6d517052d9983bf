package io.garden.common.config;

import io.garden.common.platform.Platforms;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.model.Stage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a component reads from its environment, read once in {@code Main} and passed down.
 *
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}; null means "start an embedded broker" (garden up)
 * @param host                  {@code GARDEN_HOST}, else this machine's name; used in client ids and lock owners
 * @param topics                replication, min.insync.replicas and audit-log retention ({@link TopicSettings})
 * @param stores                the object store of each stage
 * @param dockerHost            {@code DOCKER_HOST}, else the local Docker socket
 * @param pushPlatforms         {@code GARDEN_PLATFORMS} (or the old {@code PLATFORMS}): what a push builds for
 * @param imageRegistry         {@code GARDEN_IMAGE_REGISTRY} (e.g. {@code localhost:5000}); null means Docker Hub
 * @param artifactStore         where pipelines keep their artifacts: {@code GARDEN_ARTIFACT_STORE}, else
 *                              {@code GARDEN_STORE}, else the default folder of the repository
 * @param sourceCache           {@code GARDEN_SOURCE_CACHE}: where git sources are checked out, shared by every step
 *                              on this host (default {@code ~/.cache/garden/sources})
 * @param backupKeep            {@code GARDEN_BACKUP_KEEP}: backups of a stage's index kept (default 50)
 */
public record GardenConfig(String kafkaBootstrapServers, String host, TopicSettings topics,
                           Map<Stage, StoreConfig> stores, String dockerHost, String imageRegistry,
                           StoreConfig artifactStore, java.nio.file.Path sourceCache, int backupKeep,
                           Platforms pushPlatforms) {

  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

  public GardenConfig {
    stores = Map.copyOf(stores);
  }

  public static GardenConfig fromEnv(Map<String, String> env) {
    Map<Stage, StoreConfig> stores = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      stores.put(stage, StoreConfig.fromEnv(env, stage));
    }
    return new GardenConfig(
        blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")),
        Optional.ofNullable(blankToNull(env.get("GARDEN_HOST"))).orElseGet(GardenConfig::localHostName),
        TopicSettings.fromEnv(env),
        stores,
        env.getOrDefault("DOCKER_HOST", DEFAULT_DOCKER_HOST),
        blankToNull(env.get("GARDEN_IMAGE_REGISTRY")),
        StoreConfig.artifactsFromEnv(env),
        sourceCache(env.get("GARDEN_SOURCE_CACHE")),
        NumberSetting.atLeast(env, "GARDEN_BACKUP_KEEP", 50, 1),
        Platforms.forPush(env));
  }

  /**
   * The same configuration with every store that has no location of its own put in {@code folder} (garden up keeps
   * its registry and artifacts under its data directory).
   */
  public GardenConfig withStoreDefault(java.nio.file.Path folder) {
    Map<Stage, StoreConfig> placed = new EnumMap<>(Stage.class);
    stores.forEach((stage, store) -> placed.put(stage, store.withDefaultLocation(folder.toString())));
    return new GardenConfig(kafkaBootstrapServers, host, topics, placed, dockerHost, imageRegistry,
        artifactStore.withDefaultLocation(folder.toString()), sourceCache, backupKeep, pushPlatforms);
  }

  /** The same configuration talking to another Kafka cluster. */
  public GardenConfig withKafka(String bootstrapServers) {
    return new GardenConfig(bootstrapServers, host, topics, stores, dockerHost, imageRegistry,
        artifactStore, sourceCache, backupKeep, pushPlatforms);
  }

  private static java.nio.file.Path sourceCache(String value) {
    if (value != null && !value.isBlank()) {
      return java.nio.file.Path.of(value.trim()).toAbsolutePath().normalize();
    }
    return java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "garden", "sources");
  }

  public StoreConfig store(Stage stage) {
    return stores.get(stage);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * This machine's name as the kernel knows it. Not {@code InetAddress.getLocalHost()}: that asks the resolver for
   * the name's address, a network round trip (tens of milliseconds, more when DNS is slow) on every command.
   */
  private static String localHostName() {
    try {
      String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (java.io.IOException | RuntimeException notLinux) {
      // Not Linux: ask the platform below.
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
