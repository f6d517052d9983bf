package io.garden.common.worker;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.EventTypes;
import io.garden.common.event.FailureKind;
import io.garden.common.event.RecordDeadLettered;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateStep;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one consumer chain every worker uses, on a real broker: how each kind of error is handled, in one place —
 * transient (bounded retry with back-off, then given up as a failure), permanent (failed step, dead letter, move on),
 * a refusal (failed step, no dead letter), an unreadable record (dead letter), fatal (handed to onFatal, not committed).
 */
@ExtendWith(KafkaBroker.class)
class KafkaWorkerVerticleIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final Backoff QUICK = new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(50));

  private static Vertx vertx;
  private static KafkaProducer<String, byte[]> producer;
  private static EventTail events;
  private static EventTail deadLetters;
  private static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private static final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  private static String topic;

  /** Acts by the pipeline id: {@code transient-N-…} fails N times, {@code permanent-…}, {@code refused-…}, {@code fatal-…}. */
  private static final class ScriptedWorker extends KafkaWorkerVerticle {

    ScriptedWorker(String topic) {
      super(new KafkaSettings(KafkaBroker.bootstrapServers(), "it-worker-" + topic, "it"), "it-worker-" + topic,
          topic, QUICK, fatal::add);
    }

    @Override
    protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
      String id = request.pipelineId();
      int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (id.startsWith("transient-")) {
        int failures = Integer.parseInt(id.split("-")[1]);
        if (attempt <= failures) {
          return Future.failedFuture(new UncheckedIOException(new java.io.IOException("store away, attempt "
              + attempt)));
        }
      } else if (id.startsWith("permanent-")) {
        return Future.failedFuture(new IllegalStateException("this request can never work"));
      } else if (id.startsWith("refused-")) {
        return Future.failedFuture(new WorkRefusedException("2 error(s) in apps/x"));
      } else if (id.startsWith("fatal-")) {
        return Future.failedFuture(new StackOverflowError("the process is broken"));
      }
      return Future.succeededFuture(List.of(new StepFinished(StepName.VALIDATE, "*", 1, "done after " + attempt)));
    }

    @Override
    protected StepName stepOf(Envelope request) {
      return StepName.VALIDATE;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    topic = "it.worker." + UUID.randomUUID();
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "it").admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    producer = KafkaProducer.create(vertx, new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "it").producer());
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
    deadLetters = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.DEADLETTER);
    vertx.deployVerticle(new ScriptedWorker(topic)).await();
  }

  @AfterAll
  static void stop() {
    events.close();
    deadLetters.close();
    vertx.close().await();
  }

  private static String send(String prefix) {
    return send(topic, prefix);
  }

  private static String send(String to, String prefix) {
    String id = prefix + UUID.randomUUID();
    Envelope request = CODEC.envelope(new ValidateRequested(SourceRef.local("/repo"), Targets.all(),
        List.of(ValidateStep.VALIDATE)), new EventContext(id, id, "it", "it@test"));
    producer.send(KafkaProducerRecord.create(to, id, CODEC.encode(request))).await();
    return id;
  }

  private static <T extends EventPayload> T awaitPayload(String id, Class<T> type) {
    return CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, type),
        Duration.ofSeconds(30)), type);
  }

  private static boolean deadLettered(String id) {
    return deadLetters.records().stream().anyMatch(r -> id.equals(r.key())
        || new String(r.value(), StandardCharsets.UTF_8).contains(id));
  }

  @Test
  @DisplayName("a transient failure is retried with back-off and the work succeeds: one result, nothing dead")
  void transientFailureIsRetried() {
    String id = send("transient-2-");

    StepFinished done = awaitPayload(id, StepFinished.class);

    assertThat(done.summary()).isEqualTo("done after 3");
    assertThat(attempts.get(id).get()).isEqualTo(3);
    assertThat(events.envelopes()).filteredOn(e -> id.equals(e.pipelineId()))
        .noneMatch(e -> EventTypes.is(e, StepFailed.class));
    assertThat(deadLettered(id)).isFalse();
  }

  @Test
  @DisplayName("a transient failure that outlasts the retries fails the step and dead-letters the record")
  void transientFailureGivesUpAfterTheBound() {
    String id = send("transient-99-");

    StepFailed failed = awaitPayload(id, StepFailed.class);

    assertThat(failed.reason()).contains("store away, attempt 3");
    assertThat(attempts.get(id).get()).isEqualTo(QUICK.maxAttempts());
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLettered(id));
  }

  @Test
  @DisplayName("a permanent failure is not retried: a failed step, a dead letter announced on the audit stream, and"
      + " the next record is handled")
  void permanentFailureIsDeadLettered() {
    String id = send("permanent-");
    String next = send("ok-");

    StepFailed failed = awaitPayload(id, StepFailed.class);
    RecordDeadLettered announced = awaitPayload(id, RecordDeadLettered.class);

    assertThat(attempts.get(id).get()).isEqualTo(1);
    assertThat(failed.reason()).isEqualTo("this request can never work");
    assertThat(announced.reason()).contains("this request can never work");
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLettered(id));
    assertThat(awaitPayload(next, StepFinished.class)).isNotNull();
  }

  @Test
  @DisplayName("a refusal is a failed step with the findings, never a dead letter")
  void refusalIsAFindingNotADeadLetter() {
    String id = send("refused-");

    StepFailed failed = awaitPayload(id, StepFailed.class);

    assertThat(failed.errorKind()).isEqualTo(FailureKind.FINDINGS);
    assertThat(failed.reason()).isEqualTo("2 error(s) in apps/x");
    assertThat(attempts.get(id).get()).isEqualTo(1);
    String after = send("ok-");
    awaitPayload(after, StepFinished.class);
    assertThat(deadLettered(id)).isFalse();
  }

  @Test
  @DisplayName("a record that is not an event is dead-lettered and the worker goes on")
  void unreadableRecordIsDeadLettered() {
    String key = "garbage-" + UUID.randomUUID();
    producer.send(KafkaProducerRecord.create(topic, key, "not an event".getBytes(StandardCharsets.UTF_8))).await();
    String next = send("ok-");

    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.records().stream()
        .anyMatch(r -> key.equals(r.key())));
    assertThat(awaitPayload(next, StepFinished.class)).isNotNull();
  }

  @Test
  @DisplayName("a fatal error goes to onFatal, once, with the error; nothing is emitted for it")
  void fatalErrorIsHandedOver() throws Exception {
    // A worker of its own: after a fatal error a real one exits, so it must not be the one the other tests use.
    String own = "it.worker.fatal." + UUID.randomUUID();
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "it").admin())) {
      admin.createTopics(List.of(new NewTopic(own, 1, (short) 1))).all().get();
    }
    vertx.deployVerticle(new ScriptedWorker(own)).await();
    String id = send(own, "fatal-");

    await().atMost(Duration.ofSeconds(30)).until(() -> fatal.stream().anyMatch(e -> e instanceof StackOverflowError));
    assertThat(events.envelopes()).filteredOn(e -> id.equals(e.pipelineId())).isEmpty();
    assertThat(deadLettered(id)).isFalse();
  }
}
