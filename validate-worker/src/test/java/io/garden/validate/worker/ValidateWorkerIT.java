package io.garden.validate.worker;

import io.garden.common.ExamplesRepo;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.FailureKind;
import io.garden.common.event.RecordDeadLettered;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.SyncFinished;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaBroker.class)
class ValidateWorkerIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final Path EXAMPLES = ExamplesRepo.path();
  private static final List<Throwable> FATAL = new CopyOnWriteArrayList<>();

  private static Vertx vertx;
  private static KafkaProducer<String, byte[]> producer;
  private static EventTail events;
  private static EventTail deadLetters;

  @BeforeAll
  static void startWorker() {
    vertx = Vertx.vertx();
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "validate-worker", "it");
    try (Admin admin = Admin.create(settings.admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    vertx.deployVerticle(new ValidateWorkerVerticle(settings, FATAL::add)).await();
    producer = KafkaProducer.create(vertx, settings.producer());
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
    deadLetters = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.DEADLETTER);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    assertThat(FATAL).isEmpty();
  }

  private static String send(ValidateRequested request) {
    String pipelineId = "p-" + UUID.randomUUID();
    byte[] value = CODEC.encode(request, new EventContext(pipelineId, "corr-" + pipelineId, "it", "it@test"));
    producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, pipelineId, value)).await();
    return pipelineId;
  }

  /** A request whose step is outside the typed set: only raw JSON can say it, as a foreign producer would. */
  private static String sendWithStep(String step) {
    String pipelineId = "p-" + UUID.randomUUID();
    String json = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"validate.requested\",\"version\":1,"
        + "\"time\":\"2026-11-25T07:30:00Z\",\"pipelineId\":\"" + pipelineId + "\",\"source\":\"it@test\","
        + "\"data\":{\"source\":{\"path\":\"" + EXAMPLES + "\"},\"steps\":[\"" + step + "\"]}}";
    producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, pipelineId,
        json.getBytes(StandardCharsets.UTF_8))).await();
    return pipelineId;
  }

  @Test
  @DisplayName("a validate request for examples/extensions produces the findings event on garden.events")
  void validatesExamples() {
    String pipelineId = send(new ValidateRequested(SourceRef.local(EXAMPLES.toString()), Targets.all(),
        List.of(ValidateStep.CHECK, ValidateStep.VALIDATE)));

    Envelope finished = events.awaitEvent(e -> pipelineId.equals(e.pipelineId())
        && e.type().equals("validate.finished"));
    ValidateFinished result = CODEC.payload(finished, ValidateFinished.class);
    assertThat(result.passed()).isTrue();
    assertThat(result.results()).extracting(r -> r.extension())
        .containsExactly("apps/team-notes", "services/service-vectordb", "tools/tool-websearch");
    Envelope sync = events.awaitEvent(e -> pipelineId.equals(e.pipelineId()) && e.type().equals("sync.finished"));
    assertThat(CODEC.payload(sync, SyncFinished.class).passed()).isTrue();
    assertThat(finished.correlationId()).isEqualTo("corr-" + pipelineId);
    assertThat(finished.source()).isEqualTo("validate-worker@it");
  }

  @Test
  @DisplayName("findings in a listed target fail the step, and a traversal id is one finding among the others")
  void findingsFailTheStep() {
    String pipelineId = send(new ValidateRequested(SourceRef.local(EXAMPLES.toString()),
        Targets.of(List.of("apps/team-notes", "apps/../../etc")), List.of(ValidateStep.VALIDATE)));

    ValidateFinished result = CODEC.payload(events.awaitEvent(e -> pipelineId.equals(e.pipelineId())
        && e.type().equals("validate.finished")), ValidateFinished.class);
    assertThat(result.passed()).isFalse();
    assertThat(result.results()).extracting(r -> r.extension()).containsExactly("apps/../../etc", "apps/team-notes");
    StepFailed failed = CODEC.payload(events.awaitEvent(e -> pipelineId.equals(e.pipelineId())
        && e.type().equals("step.failed")), StepFailed.class);
    assertThat(failed.errorKind()).isEqualTo(FailureKind.FINDINGS);
  }

  @Test
  @DisplayName("poison input is dead-lettered with its error, and the consumer keeps going")
  void poisonIsDeadLettered() {
    byte[] garbage = "<html>not an event</html>".getBytes(StandardCharsets.UTF_8);
    producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, "poison-key", garbage)).await();
    String badStep = sendWithStep("deploy-to-the-moon");
    String after = send(new ValidateRequested(SourceRef.local(EXAMPLES.toString()), Targets.all(),
        List.of(ValidateStep.VALIDATE)));

    var dead = deadLetters.awaitRecord(r -> "poison-key".equals(r.key()));
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("<html>not an event</html>");
    assertThat(dead.headers()).anySatisfy(h -> {
      assertThat(h.key()).isEqualTo(Topics.HEADER_ERROR);
      assertThat(h.value().toString()).startsWith("not valid JSON");
    });
    Envelope notice = events.awaitEvent(e -> e.type().equals("record.dead-lettered")
        && CODEC.payload(e, RecordDeadLettered.class).reason().startsWith("not valid JSON"));
    assertThat(CODEC.payload(notice, RecordDeadLettered.class).topic()).isEqualTo(Topics.VALIDATE_REQUESTS);

    StepFailed unknownStep = CODEC.payload(events.awaitEvent(e -> badStep.equals(e.pipelineId())
        && e.type().equals("step.failed")), StepFailed.class);
    assertThat(unknownStep.errorKind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(unknownStep.reason()).contains("unknown step 'deploy-to-the-moon'");
    deadLetters.awaitRecord(r -> badStep.equals(r.key()));

    events.awaitEvent(e -> after.equals(e.pipelineId()) && e.type().equals("validate.finished"));
  }
}
