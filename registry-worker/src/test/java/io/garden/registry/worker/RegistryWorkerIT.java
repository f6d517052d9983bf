package io.garden.registry.worker;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.LockAcquired;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.PublishRequested;
import io.garden.common.event.PublishAction;
import io.garden.common.event.RegistryAction;
import io.garden.common.event.FailureKind;
import io.garden.common.event.StepName;
import io.garden.common.event.RegistryBuilt;
import io.garden.common.event.RegistryRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry worker through Kafka: requests in, registry and publish events out, on the embedded broker. */
@ExtendWith(KafkaBroker.class)
class RegistryWorkerIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final List<Throwable> FATAL = new CopyOnWriteArrayList<>();

  @TempDir
  static Path repo;

  private static Vertx vertx;
  private static KafkaProducer<String, byte[]> producer;
  private static EventTail events;

  @BeforeAll
  static void start() throws IOException {
    ExamplesRepo.copyTo(repo);
    vertx = Vertx.vertx();
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "registry-worker", "it");
    try (Admin admin = Admin.create(settings.admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    GardenConfig config = GardenConfig.fromEnv(Map.of("GARDEN_HOST", "it"));
    vertx.deployVerticle(new RegistryRequestsVerticle(settings, config, FATAL::add)).await();
    vertx.deployVerticle(new PublishVerticle(settings, config, FATAL::add)).await();
    producer = KafkaProducer.create(vertx, settings.producer());
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    assertThat(FATAL).isEmpty();
  }

  private static String send(String topic, EventPayload payload) {
    String pipelineId = "p-" + UUID.randomUUID();
    producer.send(KafkaProducerRecord.create(topic, pipelineId,
        CODEC.encode(payload, new EventContext(pipelineId, "c-" + pipelineId, "it", "it@test")))).await();
    return pipelineId;
  }

  private static <T extends EventPayload> T await(String pipelineId, Class<T> type) {
    Envelope e = events.awaitEvent(env -> pipelineId.equals(env.pipelineId())
        && CODEC.payload(env).getClass() == type);
    return CODEC.payload(e, type);
  }

  @Test
  @DisplayName("a build request emits registry.built; a publish request is planned, locked, written and released")
  void buildAndPublish() {
    String build = send(Topics.REGISTRY_REQUESTS, new RegistryRequested(SourceRef.local(repo.toString()), "dev",
        "v2", RegistryAction.BUILD));
    RegistryBuilt built = await(build, RegistryBuilt.class);
    assertThat(built.apps()).isEqualTo(2);
    assertThat(built.tools()).isEqualTo(1);

    String publish = send(Topics.REGISTRY_PUBLISH, new PublishRequested(SourceRef.local(repo.toString()), "dev",
        "v2", PublishAction.PUBLISH, null, null, null, 10L));
    PublishPlanned planned = await(publish, PublishPlanned.class);
    assertThat(planned.decisions()).extracting(d -> d.action()).containsOnly("INSERT");
    LockAcquired lock = await(publish, LockAcquired.class);
    assertThat(lock.lock().pipeline()).isEqualTo(publish);
    PublishFinished finished = await(publish, PublishFinished.class);
    assertThat(finished.inserted()).isEqualTo(3);
    assertThat(repo.resolve(".garden/store/dev/garden/v2/apps.json")).isRegularFile();
    assertThat(repo.resolve(".garden/store/dev/garden/v2/registry.lock")).doesNotExist();
  }

  @Test
  @DisplayName("a publish request delivered again (its worker died before committing it) is written and reported"
      + " once: one publish.finished")
  void aRequestDeliveredAgainIsReportedOnce() throws IOException {
    Path own = java.nio.file.Files.createTempDirectory("registry-worker-again");
    ExamplesRepo.copyTo(own);
    String pipelineId = "p-" + UUID.randomUUID();
    Envelope request = CODEC.envelope(new PublishRequested(SourceRef.local(own.toString()), "dev", "v2",
        PublishAction.PUBLISH, null, null, null, 10L), new EventContext(pipelineId, pipelineId, "it", "it@test"));
    for (int delivery = 0; delivery < 2; delivery++) {
      producer.send(KafkaProducerRecord.create(Topics.REGISTRY_PUBLISH, pipelineId, CODEC.encode(request))).await();
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> events.envelopes().stream()
        .filter(e -> pipelineId.equals(e.pipelineId()) && e.type().equals("step.finished")).count() == 2);

    assertThat(events.envelopes().stream().filter(e -> pipelineId.equals(e.pipelineId())
        && CODEC.payload(e) instanceof PublishFinished).map(e -> CODEC.payload(e, PublishFinished.class)))
        .singleElement().satisfies(f -> assertThat(f.inserted()).isEqualTo(3));
  }

  @Test
  @DisplayName("a refused publish emits its decision table, publish.failed and step.failed, and writes nothing")
  void refusedPublish() throws IOException {
    // Published (and awaited) before the files change: the stage's own index holds 0.6.1.
    String first = send(Topics.REGISTRY_PUBLISH, new PublishRequested(SourceRef.local(repo.toString()), "stage", "v2",
        PublishAction.PUBLISH, null, null, null, 10L));
    await(first, PublishFinished.class);
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    String original = Files.readString(manifest);
    Path appgarden = repo.resolve("tools/tool-websearch/docker-compose.appgarden.yml");
    String originalCompose = Files.readString(appgarden);
    try {
      Files.writeString(manifest, original.replace("0.6.1", "0.6.0"));
      Files.writeString(appgarden, originalCompose.replace("0.6.1", "0.6.0"));
      String downgrade = send(Topics.REGISTRY_PUBLISH, new PublishRequested(SourceRef.local(repo.toString()),
          "stage", "v2", PublishAction.PUBLISH, null, null, null, 10L));

      PublishFailed failed = await(downgrade, PublishFailed.class);
      assertThat(failed.reason()).contains("Cannot downgrade from 0.6.1 to 0.6.0");
      assertThat(failed.wrote()).isFalse();
      StepFailed stepFailed = await(downgrade, StepFailed.class);
      assertThat(stepFailed.errorKind()).as("a FAIL decision is a finding, not a bad record")
          .isEqualTo(FailureKind.FINDINGS);
      assertThat(stepFailed.step()).isEqualTo(StepName.PUBLISH_REGISTRY);

      // The same publish rehearsed: its table, and a failed step (as the dry run exits 1 at a terminal).
      String rehearsal = send(Topics.REGISTRY_REQUESTS, new RegistryRequested(SourceRef.local(repo.toString()),
          "stage", "v2", RegistryAction.DRY_RUN));
      assertThat(await(rehearsal, PublishPlanned.class).failed()).isTrue();
      StepFailed dryRun = await(rehearsal, StepFailed.class);
      assertThat(dryRun.errorKind()).isEqualTo(FailureKind.FINDINGS);
      assertThat(dryRun.reason()).contains("publish would FAIL", "Cannot downgrade from 0.6.1 to 0.6.0");
    } finally {
      Files.writeString(manifest, original);
      Files.writeString(appgarden, originalCompose);
    }
  }

  @Test
  @DisplayName("a request that says dry run changes nothing in the store, whatever its action")
  void dryRunsWriteNothing() throws IOException {
    SourceRef source = SourceRef.local(repo.toString());
    await(send(Topics.REGISTRY_PUBLISH, new PublishRequested(source, "prod", "v2", PublishAction.PUBLISH, null, null,
        null, 10L)), PublishFinished.class);
    // A real unpublish, so that prod has a backup a restore could put back.
    await(send(Topics.REGISTRY_PUBLISH, new PublishRequested(source, "prod", "v2", PublishAction.UNPUBLISH, null,
        "tool-websearch", null, 10L)), PublishFinished.class);
    Path prod = repo.resolve(".garden/store/prod");
    Map<String, String> before = snapshot(prod);
    assertThat(before).anySatisfy((name, hash) -> assertThat(name).contains("backups"));

    for (PublishAction action : PublishAction.values()) {
      String extension = action == PublishAction.FORCE ? "tools/tool-websearch" : null;
      String name = action == PublishAction.UNPUBLISH ? "app-demo" : null;
      String pipeline = send(Topics.REGISTRY_PUBLISH, new PublishRequested(source, "prod", "v2", action, extension,
          name, null, 10L, action == PublishAction.FORCE, true));
      Envelope ended = events.awaitEvent(env -> pipeline.equals(env.pipelineId())
          && (CODEC.payload(env) instanceof io.garden.common.event.StepFinished
          || CODEC.payload(env) instanceof StepFailed));
      assertThat(snapshot(prod)).as("after a dry run of " + action + " (" + CODEC.payload(ended) + ")")
          .isEqualTo(before);
    }
  }

  @Test
  @DisplayName("unpublishing a name the stage does not hold is 'nothing to do', a finding, and writes nothing")
  void unpublishOfAnUnknownName() {
    String pipeline = send(Topics.REGISTRY_PUBLISH, new PublishRequested(SourceRef.local(repo.toString()), "dev",
        "v2", PublishAction.UNPUBLISH, null, "no-such-entry", null, 10L));
    StepFailed failed = await(pipeline, StepFailed.class);
    assertThat(failed.errorKind()).isEqualTo(FailureKind.FINDINGS);
    assertThat(failed.reason()).isEqualTo("Nothing to do: nothing named no-such-entry is published for dev");
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (var walk = Files.walk(dir)) {
      // The folder store's own mutex files (.garden-internal) are how it reads safely, not content.
      for (Path file : walk.filter(Files::isRegularFile)
          .filter(f -> !dir.relativize(f).startsWith(".garden-internal")).toList()) {
        files.put(dir.relativize(file).toString(),
            io.garden.common.store.ContentHash.sha256(Files.readAllBytes(file)));
      }
    }
    return files;
  }

  @Test
  @DisplayName("a dry run for one extension plans that extension alone, as its publish would (a chat dry run)")
  void dryRunOfOneExtension() {
    String pipeline = send(Topics.REGISTRY_REQUESTS, new RegistryRequested(SourceRef.local(repo.toString()), "dev",
        "v2", RegistryAction.DRY_RUN, "tools/tool-websearch"));
    PublishPlanned planned = await(pipeline, PublishPlanned.class);
    assertThat(planned.dryRun()).isTrue();
    assertThat(planned.decisions()).extracting(d -> d.name()).containsOnly("tool-websearch");
  }
}
