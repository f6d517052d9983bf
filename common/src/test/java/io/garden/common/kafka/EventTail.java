package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/** Test helper: follows a topic from the beginning, like an operator tailing the audit stream. */
public final class EventTail implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<KafkaConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

  public EventTail(Vertx vertx, String bootstrapServers, String topic) {
    KafkaSettings settings = new KafkaSettings(bootstrapServers, "event-tail", "test");
    consumer = KafkaConsumer.create(vertx, settings.consumer("tail-" + UUID.randomUUID()));
    consumer.handler(records::add);
    consumer.subscribe(topic).await();
  }

  public List<Envelope> envelopes() {
    return records.stream().map(r -> EventCodec.shared().decode(r.value())).toList();
  }

  public List<KafkaConsumerRecord<String, byte[]>> records() {
    return List.copyOf(records);
  }

  /** Waits (bounded, 60 s) until an envelope matches, and returns it. */
  public Envelope awaitEvent(Predicate<Envelope> match) {
    return awaitEvent(match, Duration.ofSeconds(60));
  }

  public Envelope awaitEvent(Predicate<Envelope> match, Duration atMost) {
    Awaitility.await().atMost(atMost).until(() -> envelopes().stream().anyMatch(match));
    return envelopes().stream().filter(match).findFirst().orElseThrow();
  }

  public KafkaConsumerRecord<String, byte[]> awaitRecord(Predicate<KafkaConsumerRecord<String, byte[]>> match) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> records.stream().anyMatch(match));
    return records.stream().filter(match).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    consumer.close().await();
  }
}
