package io.garden.build.worker;

import io.garden.build.Engine;
import io.garden.build.RequiresEngine;
import io.garden.build.suite.TestSandbox;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.BuildStep;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.PushFinished;
import io.garden.common.event.SourceRef;
import io.garden.common.event.TestFinished;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The build worker through Kafka against the real engine and registry. */
@ExtendWith({RequiresEngine.class, KafkaBroker.class})
class BuildWorkerIT {

  /** Shorter than the slow build below: without the pause, the group would rebalance and deliver it again. */
  private static final int MAX_POLL_INTERVAL_MS = 6000;
  private static final EventCodec CODEC = EventCodec.shared();
  private static final List<Throwable> FATAL = new CopyOnWriteArrayList<>();

  @TempDir
  static Path repo;

  private static Vertx vertx;
  private static Engine engine;
  private static KafkaProducer<String, byte[]> producer;
  private static EventTail events;
  private static final String APP = "bw-" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void start() throws Exception {
    io.garden.build.BusyboxFixtures.write(repo, APP, "1.0.0", true);
    io.garden.build.BusyboxFixtures.write(repo, APP + "-slow", "1.0.0", true);
    io.garden.build.BusyboxFixtures.write(repo, APP + "-broken", "1.0.0", false);
    io.garden.build.BusyboxFixtures.write(repo, APP + "-endless", "1.0.0", true);
    io.garden.build.BusyboxFixtures.write(repo, APP + "-dry", "1.0.0", true);
    Path endless = repo.resolve("apps/" + APP + "-endless/api/Dockerfile");
    Files.writeString(endless, Files.readString(endless).replace("COPY www /www",
        "RUN [\"/bin/busybox\", \"sleep\", \"300\"]\nCOPY www /www"));
    Path slow = repo.resolve("apps/" + APP + "-slow/api/Dockerfile");
    Files.writeString(slow, Files.readString(slow).replace("COPY www /www",
        "RUN [\"/bin/busybox\", \"sleep\", \"10\"]\nCOPY www /www"));
    vertx = Vertx.vertx();
    engine = new Engine(RequiresEngine.dockerHost());
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "build-worker", "it")
        .withConsumerOverrides(Map.of("max.poll.interval.ms", Integer.toString(MAX_POLL_INTERVAL_MS)));
    try (Admin admin = Admin.create(settings.admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    io.garden.build.SuiteFixtures.withTestStage(repo, APP + "-suite", "echo 'FAILED test_totals'\nexit 1\n");
    // A 15 s start-up limit instead of App Garden's 60 s: the unhealthy extension's test fails in a quarter of the
    // time, with the same report.
    BuildSteps steps = new BuildSteps(engine, RequiresEngine.imageRegistry(),
        io.garden.common.source.SourceCheckouts.localOnly(), TestSandbox.fromEnv(Map.of()))
        .withSmokeLimit(java.time.Duration.ofSeconds(15));
    vertx.deployVerticle(new BuildWorkerVerticle(settings, steps, FATAL::add)).await();
    producer = KafkaProducer.create(vertx, settings.producer());
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    engine.close();
    assertThat(FATAL).isEmpty();
  }

  private static String send(String extension, List<BuildStep> steps, boolean noCache) {
    return send(extension, steps, noCache, false);
  }

  private static String send(String extension, List<BuildStep> steps, boolean noCache, boolean dryRun) {
    String pipelineId = "p-" + UUID.randomUUID();
    BuildRequested request = new BuildRequested(SourceRef.local(repo.toString()), extension, steps, "stage", noCache,
        Map.of(), 300L, dryRun);
    producer.send(KafkaProducerRecord.create(Topics.BUILD_REQUESTS, extension,
        CODEC.encode(request, new EventContext(pipelineId, "c", "it", "it@test")))).await();
    return pipelineId;
  }

  private static Envelope await(String pipelineId, String type) {
    return events.awaitEvent(e -> pipelineId.equals(e.pipelineId()) && e.type().equals(type));
  }

  @Test
  @DisplayName("build, test and push through Kafka: progress while building, then results with ids and digests")
  void buildTestPush() {
    String p = send("apps/" + APP, List.of(BuildStep.BUILD, BuildStep.TEST, BuildStep.PUSH), false);

    await(p, "build.started");
    await(p, "build.progress");
    BuildFinished built = CODEC.payload(await(p, "build.finished"), BuildFinished.class);
    assertThat(built.passed()).isTrue();
    assertThat(built.images()).hasSize(2).allSatisfy(i -> assertThat(i.imageId()).isNotBlank());
    TestFinished tested = CODEC.payload(await(p, "test.finished"), TestFinished.class);
    assertThat(tested.passed()).as("%s", tested).isTrue();
    assertThat(tested.suite()).as("this extension carries no suite of its own").isNull();
    PushFinished pushed = CODEC.payload(await(p, "push.finished"), PushFinished.class);
    assertThat(pushed.images()).extracting(i -> i.ref()).allMatch(r -> r.endsWith(":1.0.0-stage"));
    assertThat(pushed.images()).allSatisfy(i -> assertThat(i.digest()).startsWith("sha256:"));
  }

  @Test
  @DisplayName("a pipeline.cancel-requested event stops the running build early, said as cancelled (no failed build,"
      + " no findings), and the worker moves on")
  void cancelStopsTheBuild() {
    String endless = send("apps/" + APP + "-endless", List.of(BuildStep.BUILD, BuildStep.PUSH), true);
    await(endless, "build.progress");
    long asked = System.nanoTime();
    producer.send(KafkaProducerRecord.create(Topics.EVENTS, endless, CODEC.encode(
        new io.garden.common.event.CancelRequested("test"), new EventContext(endless, "c", "it", "it@test"))))
        .await();

    io.garden.common.event.StepFailed stopped = CODEC.payload(await(endless, "step.failed"),
        io.garden.common.event.StepFailed.class);
    assertThat(stopped.errorKind()).as("cancelled, not a failure of the build")
        .isEqualTo(io.garden.common.event.FailureKind.CANCELLED);
    assertThat(stopped.reason()).endsWith(": cancelled");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - asked)).isLessThan(java.time.Duration.ofSeconds(60));
    assertThat(events.envelopes()).noneMatch(e -> endless.equals(e.pipelineId()) && (e.type().equals("push.finished")
        || e.type().equals("build.finished")));
  }

  @Test
  @DisplayName("an extension without /health fails its test within the limit, with each service's logs in the event")
  void brokenTestCarriesLogs() {
    String p = send("apps/" + APP + "-broken", List.of(BuildStep.BUILD, BuildStep.TEST), false);

    // The smoke test gives the broken service its whole start-up limit (15 s here) before it fails.
    TestFinished tested = CODEC.payload(events.awaitEvent(e -> p.equals(e.pipelineId())
        && e.type().equals("test.finished"), java.time.Duration.ofMinutes(3)), TestFinished.class);
    assertThat(tested.passed()).isFalse();
    assertThat(tested.durationMs()).isLessThan(90_000);
    assertThat(tested.services().get(0).detail()).isEqualTo("not healthy within 15 s");
    assertThat(tested.services().get(0).logs()).anyMatch(l -> l.contains("api starting on"));
  }

  @Test
  @DisplayName("a build longer than max.poll.interval.ms is delivered once: the consumer is paused, not evicted")
  void longBuildIsNotRedelivered() {
    String slow = send("apps/" + APP + "-slow", List.of(BuildStep.BUILD), true);
    BuildFinished built = CODEC.payload(await(slow, "build.finished"), BuildFinished.class);
    assertThat(built.passed()).isTrue();
    assertThat(built.durationMs()).isGreaterThan(MAX_POLL_INTERVAL_MS);

    // A later request completing proves the worker moved on; by then a redelivery would have started again.
    String marker = send("apps/" + APP, List.of(BuildStep.BUILD), false);
    await(marker, "build.finished");
    assertThat(events.envelopes()).filteredOn(e -> slow.equals(e.pipelineId()) && e.type().equals("build.started"))
        .hasSize(1);
  }

  @Test
  @DisplayName("a pipeline runs the extension's own suite, sandboxed: its failure and output are in the events")
  void pipelineRunsTheExtensionsSuite() {
    String p = send("apps/" + APP + "-suite", List.of(BuildStep.BUILD, BuildStep.TEST), false);

    TestFinished tested = CODEC.payload(await(p, "test.finished"), TestFinished.class);
    assertThat(tested.passed()).isFalse();
    assertThat(tested.suite()).isEqualTo("Dockerfile test stage");
    assertThat(tested.suitePassed()).isFalse();
    assertThat(tested.suiteOutput()).contains("FAILED test_totals");
    assertThat(tested.services()).as("the smoke test is not started after the suite failed").isEmpty();
    assertThat(CODEC.payload(await(p, "step.failed"), io.garden.common.event.StepFailed.class).reason())
        .contains("tests failed (Dockerfile test stage)");
  }

  @Test
  @DisplayName("a push whose request says dry run pushes nothing: it says what it would push, the registry has no tag")
  void aDryRunPushPushesNothing() throws Exception {
    String p = send("apps/" + APP + "-dry", List.of(BuildStep.BUILD, BuildStep.PUSH), false, true);

    io.garden.common.event.StepFinished finished = CODEC.payload(await(p, "step.finished"),
        io.garden.common.event.StepFinished.class);
    assertThat(finished.summary()).contains("dry run, nothing pushed", "would push", APP + "-dry-api:1.0.0-stage");
    assertThat(events.envelopes()).noneMatch(e -> p.equals(e.pipelineId()) && e.type().equals("push.finished"));
    java.net.http.HttpResponse<String> tags = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + RequiresEngine.imageRegistry()
            + "/v2/kamiwazaai/" + APP + "-dry-api/tags/list")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(tags.body()).as("the registry knows no such tag").doesNotContain("1.0.0-stage");
  }
}
