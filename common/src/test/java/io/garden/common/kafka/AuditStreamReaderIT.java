package io.garden.common.kafka;

import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBroker.class)
class AuditStreamReaderIT {

  private Vertx vertx;
  private Admin admin;
  private KafkaSettings settings;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "reader-it", "test-host");
    admin = Admin.create(settings.admin());
    new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
  }

  @AfterEach
  void tearDown() {
    admin.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("a reader whose unread history is deleted under it (retention, delete-records) still says it has"
      + " caught up, instead of waiting for ever for an event that is gone")
  void catchesUpWhenWhatItHadYetToReadIsDeleted() throws Exception {
    write(12_000);
    AtomicLong handed = new AtomicLong();
    CompletableFuture<Void> firstEvent = new CompletableFuture<>();
    Promise<AuditStreamReader> opened = Promise.promise();
    // A reader runs on a verticle's context in the services; so does this one.
    vertx.getOrCreateContext().runOnContext(v -> AuditStreamReader.open(vertx, settings, "reader-it",
        AuditStreamReader.StartAt.beginning(), event -> {
          if (handed.incrementAndGet() == 1) {
            opened.future().onSuccess(AuditStreamReader::pause);
            firstEvent.complete(null);
          }
        }).onComplete(opened));
    AuditStreamReader reader = opened.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    firstEvent.get(30, TimeUnit.SECONDS);
    try {
      deleteEverythingWritten();
      reader.resume();
      await().atMost(Duration.ofSeconds(30)).until(() -> reader.caughtUp().isComplete());
      assertThat(handed.get()).as("events handed over before the rest was deleted").isLessThan(12_000);
    } finally {
      reader.close().await();
    }
  }

  private void write(int count) {
    Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers(),
        "linger.ms", "20", "batch.size", "262144"));
    try (KafkaProducer<String, byte[]> history = new KafkaProducer<>(producer, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String id = "p-deleted-" + i;
        history.send(new ProducerRecord<>(Topics.EVENTS, id, EventCodec.shared().encode(new AccessDecided("api:it",
            AccessAction.RUN, "dev", true, "history", "api", "all"), new EventContext(id, id, "api:it", "it"))));
      }
      history.flush();
    }
  }

  private void deleteEverythingWritten() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(java.util.List.of(Topics.EVENTS)).allTopicNames().get(30, TimeUnit.SECONDS)
        .get(Topics.EVENTS).partitions().forEach(p -> latest.put(new TopicPartition(Topics.EVENTS, p.partition()),
            OffsetSpec.latest()));
    Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, end) ->
        before.put(tp, RecordsToDelete.beforeOffset(end.offset())));
    admin.deleteRecords(before).all().get(30, TimeUnit.SECONDS);
  }
}
