package io.garden.common.service;

import io.garden.common.config.ObservedEnvironment;
import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.source.SourceCheckouts;

import java.util.Map;

/**
 * What a service's parts are made from: the configuration read once at start, the cluster, and the source checkout
 * shared by every part on this host.
 *
 * @param env the environment the configuration came from, for settings only one component reads
 */
public record ServiceContext(GardenConfig config, String bootstrapServers, Map<String, String> env,
                             SourceCheckouts checkouts) {

  public ServiceContext {
    env = ObservedEnvironment.of(env);
  }

  /** The Kafka settings of one consumer group (or producer) of this service. */
  public KafkaSettings kafka(String component) {
    return new KafkaSettings(bootstrapServers, component, config.host());
  }
}
