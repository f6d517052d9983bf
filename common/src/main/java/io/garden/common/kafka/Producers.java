package io.garden.common.kafka;

import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Kafka producers as every component makes them. Each send's failure reaches its caller through the send's future,
 * which decides what it means (a 503 to a client, a retry, a fatal stop); without a handler of its own the Vert.x
 * client also logs every failed send as an "Unhandled exception" ERROR with its stack — one per refused request
 * while the broker is away.
 */
public final class Producers {

  private static final Logger LOG = LoggerFactory.getLogger(Producers.class);

  private Producers() {
  }

  public static KafkaProducer<String, byte[]> create(Vertx vertx, Map<String, String> config) {
    KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, config);
    producer.exceptionHandler(e -> LOG.debug("{}: a send failed (its caller was told): {}", config.get("client.id"),
        e.getMessage()));
    return producer;
  }
}
