package io.garden.validate.worker;

import io.garden.common.ExamplesRepo;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.SourceRef;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateFinished;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.ValidateStep;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** More processes in one consumer group = more capacity: two validate workers split the request partitions. */
@ExtendWith(KafkaBroker.class)
class ValidateWorkerGroupIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final List<Throwable> FATAL = new CopyOnWriteArrayList<>();

  private static Vertx vertx;
  private static Admin admin;

  @BeforeAll
  static void fourPartitions() throws Exception {
    vertx = Vertx.vertx();
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "validate-worker", "it");
    admin = Admin.create(settings.admin());
    new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    int partitions = partitions();
    if (partitions < 4) {
      admin.createPartitions(Map.of(Topics.VALIDATE_REQUESTS, NewPartitions.increaseTo(4))).all().get();
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> partitions() == 4);
  }

  @AfterAll
  static void stop() {
    admin.close();
    vertx.close().await();
    assertThat(FATAL).isEmpty();
  }

  private static int partitions() throws Exception {
    return admin.describeTopics(List.of(Topics.VALIDATE_REQUESTS)).allTopicNames().get()
        .get(Topics.VALIDATE_REQUESTS).partitions().size();
  }

  @Test
  @DisplayName("two validate workers in one group each take two of four partitions, and both do work; the"
      + " rebalance is said in the log, one info line per partition change, without a stack trace")
  void twoWorkersShareFourPartitions() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        io.garden.common.worker.KafkaWorkerVerticle.class);
    log.start();
    logger.addAppender(log);
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    vertx.deployVerticle(new ValidateWorkerVerticle(settings("it-a"), FATAL::add)).await();
    vertx.deployVerticle(new ValidateWorkerVerticle(settings("it-b"), FATAL::add)).await();

    Awaitility.await("both workers hold two partitions").atMost(Duration.ofSeconds(60))
        .until(() -> assignment().size() == 2 && assignment().values().stream().allMatch(p -> p.size() == 2));
    Set<TopicPartition> all = new HashSet<>();
    assignment().values().forEach(all::addAll);
    assertThat(all).extracting(TopicPartition::partition).containsExactlyInAnyOrder(0, 1, 2, 3);
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.list)
        .filteredOn(e -> e.getFormattedMessage().contains("took partition(s)")).hasSizeGreaterThanOrEqualTo(2));
    logger.detachAppender(log);
    assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("partition(s)"))
        .allSatisfy(e -> {
          assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
          assertThat(e.getThrowableProxy()).isNull();
          assertThat(e.getFormattedMessage()).startsWith("validate-worker: ").contains("of garden.validate.requests");
        });
    // Each member says what it took, once per rebalance: the partitions named add up to the four, no more lines.
    long took = log.list.stream().filter(e -> e.getFormattedMessage().contains("took partition(s)")).count();
    long gaveBack = log.list.stream().filter(e -> e.getFormattedMessage().contains("gave back partition(s)")).count();
    assertThat(took).isBetween(2L, 2L + gaveBack);

    KafkaSettings client = settings("it-client");
    KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, client.producer());
    List<String> pipelines = new CopyOnWriteArrayList<>();
    try (EventTail events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS)) {
      for (int partition = 0; partition < 4; partition++) {
        String pipelineId = "group-" + partition + "-" + UUID.randomUUID();
        pipelines.add(pipelineId);
        ValidateRequested request = new ValidateRequested(SourceRef.local(ExamplesRepo.path().toString()),
            Targets.all(), List.of(ValidateStep.VALIDATE));
        byte[] value = CODEC.encode(request, new EventContext(pipelineId, pipelineId, "it", "it@test"));
        producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, pipelineId, value, null, partition))
            .await();
      }
      Awaitility.await("every request validated").atMost(Duration.ofSeconds(60)).until(() ->
          pipelines.stream().allMatch(id -> finished(events, id).isPresent()));
      Set<String> workers = pipelines.stream().map(id -> finished(events, id).orElseThrow().source())
          .collect(Collectors.toSet());
      assertThat(workers).containsExactlyInAnyOrder("validate-worker@it-a", "validate-worker@it-b");
    } finally {
      producer.close().await();
    }
  }

  private static java.util.Optional<Envelope> finished(EventTail events, String pipelineId) {
    return events.envelopes().stream()
        .filter(e -> pipelineId.equals(e.pipelineId()) && EventTypes.is(e, ValidateFinished.class)).findFirst();
  }

  private static KafkaSettings settings(String host) {
    return new KafkaSettings(KafkaBroker.bootstrapServers(), "validate-worker", host);
  }

  /** Member client id → the request partitions it holds, as the broker sees the group. */
  private static Map<String, Set<TopicPartition>> assignment() throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(ValidateWorkerVerticle.GROUP))
        .all().get().get(ValidateWorkerVerticle.GROUP);
    return group.members().stream().collect(Collectors.toMap(MemberDescription::clientId,
        m -> m.assignment().topicPartitions().stream()
            .filter(tp -> tp.topic().equals(Topics.VALIDATE_REQUESTS)).collect(Collectors.toSet()),
        (a, b) -> { a.addAll(b); return a; }));
  }
}
