package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.StepFinished;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBroker.class)
class KafkaRoundTripIT {

  private final EventCodec codec = EventCodec.shared();
  private Vertx vertx;
  private Admin admin;
  private KafkaSettings settings;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "roundtrip-it", "test-host");
    admin = Admin.create(settings.admin());
    new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
  }

  @AfterEach
  void tearDown() {
    admin.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("the bootstrapper creates every topic, garden.registry.publish with exactly one partition")
  void topicsCreated() throws Exception {
    var descriptions = admin.describeTopics(Topics.names()).allTopicNames().get(30, TimeUnit.SECONDS);

    assertThat(descriptions).containsOnlyKeys(Topics.names());
    assertThat(descriptions.get(Topics.REGISTRY_PUBLISH).partitions()).hasSize(1);
    assertThat(descriptions.get(Topics.VALIDATE_REQUESTS).partitions()).hasSize(3);
  }

  @Test
  @DisplayName("an envelope sent by an idempotent producer is read back by a Vert.x consumer and committed by hand")
  void envelopeRoundTrip() throws Exception {
    String pipelineId = "p-" + UUID.randomUUID();
    String group = "roundtrip-" + UUID.randomUUID();
    Envelope sent = codec.envelope(new StepFinished(io.garden.common.event.StepName.VALIDATE, "apps/kaizen", 42, "✅ apps/kaizen"),
        new EventContext(pipelineId, "corr-1", "alice", settings.clientId()));
    assertThat(settings.producer()).containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
    assertThat(settings.consumer(group)).containsEntry("enable.auto.commit", "false");

    KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, settings.producer());
    RecordMetadata written = producer
        .send(KafkaProducerRecord.create(Topics.EVENTS, pipelineId, codec.encode(sent)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<Envelope> received = new CopyOnWriteArrayList<>();
    KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx, settings.consumer(group));
    consumer.handler(record -> {
      Envelope envelope = codec.decode(record.value());
      if (pipelineId.equals(envelope.pipelineId())) {
        // Commit only what has been handled: the offset after this record.
        consumer.commit(Map.of(
                new io.vertx.kafka.client.common.TopicPartition(record.topic(), record.partition()),
                new io.vertx.kafka.client.consumer.OffsetAndMetadata(record.offset() + 1, "")))
            .onSuccess(v -> received.add(envelope));
      }
    });
    consumer.subscribe(Topics.EVENTS).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
    consumer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    producer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Envelope back = received.get(0);
    assertThat(back).isEqualTo(sent);
    assertThat(codec.payload(back, StepFinished.class).summary()).isEqualTo("✅ apps/kaizen");
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    assertThat(committed.get(new TopicPartition(Topics.EVENTS, written.getPartition())).offset())
        .isEqualTo(written.getOffset() + 1);
  }
}
