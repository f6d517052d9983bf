package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.GatewayClient;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.StepStarted;
import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.Topics;
import io.garden.common.source.GitFixture;
import io.garden.gateway.GatewayConfig;
import io.garden.registry.worker.RegistryRequestsVerticle;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system seen from outside, in one JVM on a real broker: the gateway's HTTP API, the coordinator and the
 * workers of {@code garden up}, driven as a user or a CI job would.
 */
@ExtendWith(KafkaBroker.class)
class GatewayIT {

  @TempDir
  static Path temp;

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path repo;
  private static Map<String, String> env;
  private static GardenNode node;
  private static GatewayClient client;
  private static Vertx vertx;
  private static EventTail events;
  private static NodeUnderTest running;

  @BeforeAll
  static void startNode() throws Exception {
    repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    env = new HashMap<>();
    env.put("GARDEN_HOST", "it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    // The examples' images need a network to build; these tests are about the pipeline, not the images.
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    // A folder of repositories: the entry ends in '/' (without it, it would allow only a repository of that name).
    env.put("GARDEN_ALLOWED_REPOS", temp.resolve("git").toUri().toString().replaceFirst("^file:/(?!/)", "file:///")
        .replaceFirst("/?$", "/"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(List.of(repo));
    running = NodeUnderTest.start(env, config, gateway);
    node = running.node();
    vertx = running.vertx();
    events = running.events();
    client = new GatewayClient(node.url(), node.token());
  }

  @AfterAll
  static void stopNode() {
    if (running != null) {
      running.close();
    }
  }


  @Test
  @DisplayName("ci-pipeline on the examples succeeds, streams every step in order, and its tarball downloads intact")
  void ciPipelineEndToEnd() throws Exception {
    String id = client.submit(CODEC.mapper().readTree(request("ci-pipeline")));

    List<Envelope> seen = new ArrayList<>();
    client.follow("pipeline=" + id, e -> {
      seen.add(e);
      return EventTypes.is(e, PipelineFinished.class);
    });

    PipelineFinished finished = CODEC.payload(seen.get(seen.size() - 1), PipelineFinished.class);
    assertThat(finished.state()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    // Who allowed it comes first: the decision is recorded before the request is queued.
    assertThat(seen.get(0).type()).isEqualTo("access.decided");
    assertThat(seen.get(1).type()).isEqualTo("pipeline.requested");
    assertThat(seen).extracting(Envelope::pipelineId).containsOnly(id);
    assertThat(names(seen, StepSkipped.class)).containsExactly("build", "test");
    assertThat(CODEC.payload(seen.stream().filter(e -> EventTypes.is(e, StepSkipped.class)).findFirst()
        .orElseThrow(), StepSkipped.class).reason()).startsWith("no container engine at DOCKER_HOST=");
    assertThat(names(seen, StepStarted.class))
        .containsExactly("sync-compose", "validate", "build-registry", "package-registry");
    assertThat(names(seen, StepFinished.class))
        .containsExactly("sync-compose", "validate", "build-registry", "package-registry");
    assertThat(indexOf(seen, StepFinished.class, "validate"))
        .isLessThan(indexOf(seen, StepStarted.class, "build-registry"));

    JsonNode view = client.pipeline(id);
    assertThat(view.path("state").asText()).isEqualTo("succeeded");
    JsonNode artifact = view.path("artifacts").get(0);
    assertThat(artifact.path("name").asText()).matches("kamiwaza-registry-\\d{8}-\\d{6}\\.tar\\.gz");
    Path downloaded = client.download(id, artifact.path("name").asText(), temp.resolve("downloads"));
    assertThat(Files.size(downloaded)).isEqualTo(artifact.path("size").asLong());
    assertThat(sha256(Files.readAllBytes(downloaded))).isEqualTo(artifact.path("sha256").asText());
  }

  @Test
  @DisplayName("a pipeline on a git source under the allow-list runs on a checkout of that exact commit")
  void gitSourceAtExactCommit() throws Exception {
    Path work = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("git/work")));
    GitFixture git = GitFixture.create(work, temp.resolve("git/extensions.git"));
    String commit = git.commitAll("import the examples");
    String later = git.commit("apps/team-notes/README.md", "changed after the pipeline's commit");

    String id = client.submit(CODEC.mapper().readTree("{\"source\":{\"repo\":\"" + git.url() + "\",\"commit\":\""
        + commit + "\"},\"steps\":[\"validate\",\"build-registry\",\"package-registry\"],\"targets\":\"all\"}"));

    Envelope end = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    PipelineFinished finished = CODEC.payload(end, PipelineFinished.class);
    assertThat(finished.state()).as(finished.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    assertThat(finished.artifacts()).hasSize(1);
    Path checkout = temp.resolve("sources/checkouts");
    try (var dirs = Files.walk(checkout, 2)) {
      assertThat(dirs.map(p -> p.getFileName().toString())).contains(commit).doesNotContain(later);
    }
  }

  @Test
  @DisplayName("a coordinator stopped mid-pipeline picks it up again from the audit stream and finishes it once")
  void coordinatorRestartFinishesOnce() throws Exception {
    String id = "it-restart-" + UUID.randomUUID();
    // With the registry worker away, the pipeline waits at build-registry: a fixed point to stop the coordinator.
    node.stop(RegistryRequestsVerticle.GROUP);
    try {
      submitWaitingAtBuildRegistry(id);
      node.stop(GardenNode.COORDINATOR);
    } finally {
      node.deploy(RegistryRequestsVerticle.GROUP).await();
    }
    // The step's result arrives while no coordinator runs; the restarted one must act on it.
    events.awaitEvent(e -> id.equals(e.pipelineId()) && isStep(e, StepFinished.class, "build-registry"));
    node.deploy(GardenNode.COORDINATOR).await();

    Envelope end = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    assertThat(CODEC.payload(end, PipelineFinished.class).state()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    // A later pipeline through the same coordinator: anything it would still do for the first is done by then.
    String later = client.submit(CODEC.mapper().readTree(request("validate")));
    events.awaitEvent(e -> later.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    List<Envelope> mine = events.envelopes().stream().filter(e -> id.equals(e.pipelineId())).toList();
    assertThat(mine.stream().filter(e -> EventTypes.is(e, PipelineFinished.class))).hasSize(1);
    assertThat(names(mine, StepStarted.class)).containsExactly("sync-compose", "validate", "build-registry",
        "package-registry");
  }

  @Test
  @DisplayName("garden cancel stops a pipeline waiting on a step; it ends cancelled with who cancelled it")
  void cancelEndsThePipeline() throws Exception {
    String id = "it-cancel-" + UUID.randomUUID();
    node.stop(RegistryRequestsVerticle.GROUP);
    try {
      submitWaitingAtBuildRegistry(id);
      Map<String, String> remoteEnv = remoteEnv();

      CliRun cancel = CliRun.of(remoteEnv, "cancel", id);

      assertThat(cancel.exitCode()).as(cancel.err()).isZero();
      Envelope end = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
      PipelineFinished finished = CODEC.payload(end, PipelineFinished.class);
      assertThat(finished.state()).isEqualTo(PipelineFinished.State.CANCELLED);
      assertThat(finished.reason()).contains("cancelled by");
      assertThat(CliRun.of(remoteEnv, "cancel", id).exitCode()).isEqualTo(1); // it has already ended
    } finally {
      node.deploy(RegistryRequestsVerticle.GROUP).await();
    }
  }

  @Test
  @DisplayName("a remote publish dry run that would be refused prints the decision table and exits 1, as locally")
  void remoteDryRunThatWouldFail() throws Exception {
    Map<String, String> remoteEnv = remoteEnv();
    CliRun published = CliRun.of(remoteEnv, "publish-registry", "--stage", "stage", "--repo", repo.toString());
    assertThat(published.exitCode()).as(published.out() + published.err()).isZero();
    Path kamiwaza = repo.resolve("apps/team-notes/kamiwaza.json");
    String original = Files.readString(kamiwaza);
    Files.writeString(kamiwaza, original.replaceFirst("\"description\"\\s*:\\s*\"", "\"description\": \"Changed. "));
    try {
      CliRun dryRun = CliRun.of(remoteEnv, "publish-registry", "--stage", "stage", "--dry-run", "--repo",
          repo.toString());

      assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isEqualTo(1);
      assertThat(dryRun.out()).contains("Dry run — decisions for stage", "team-notes", "FAIL",
          "Cannot mutate existing version", "❌ publish would FAIL: 1 entry refused", "next: bump the version");
    } finally {
      Files.writeString(kamiwaza, original);
    }
  }

  @Test
  @DisplayName("garden validate through the gateway prints the same findings and exit code as local mode")
  void remoteValidateMatchesLocal() throws Exception {
    Path kamiwaza = repo.resolve("tools/tool-websearch/kamiwaza.json");
    String original = Files.readString(kamiwaza);
    Files.writeString(kamiwaza, original.replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"one\""));
    try {
      Map<String, String> remoteEnv = remoteEnv();

      CliRun local = CliRun.of(env, "validate", "--repo", repo.toString());
      CliRun remote = CliRun.of(remoteEnv, "validate", "--repo", repo.toString());

      assertThat(local.exitCode()).isEqualTo(1);
      assertThat(local.out()).contains("❌ tools/tool-websearch:");
      assertThat(remote.exitCode()).isEqualTo(local.exitCode());
      assertThat(remote.out()).isEqualTo(local.out());
      assertThat(remote.err()).startsWith("pipeline ").contains(" submitted to " + node.url());

      CliRun localJson = CliRun.of(env, "validate", "--format", "json", "--repo", repo.toString());
      CliRun remoteJson = CliRun.of(remoteEnv, "validate", "--format", "json", "--repo", repo.toString());
      assertThat(remoteJson.out()).isEqualTo(localJson.out());
    } finally {
      Files.writeString(kamiwaza, original);
    }
  }

  @Test
  @DisplayName("a failed validate is explained where people look: status and tail show each finding at its file, with"
      + " its rule")
  void failuresAreExplainedInStatusAndTail() throws Exception {
    Path kamiwaza = repo.resolve("tools/tool-websearch/kamiwaza.json");
    String original = Files.readString(kamiwaza);
    Files.writeString(kamiwaza, original.replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"one\""));
    try {
      String id = client.submit(CODEC.mapper().readTree(request("validate")));
      events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));

      CliRun status = CliRun.of(remoteEnv(), "status", id);
      CliRun tail = CliRun.of(remoteEnv(), "tail", "--pipeline", id, "--no-follow");

      assertThat(status.exitCode()).isEqualTo(ExitCodes.FINDINGS);
      assertThat(status.out()).contains("  page: " + remoteEnv().get("GARDEN_URL") + "/#pipeline=" + id)
          .containsPattern("  by \\S+, stage dev, from ")
          .containsPattern("validate +failed +\\d+\\.\\d s");
      assertThat(status.out()).containsPattern("error +tools/tool-websearch/kamiwaza\\.json(:\\d+(:\\d+)?)?  \\S+  .*")
          .contains("version");
      assertThat(tail.exitCode()).as(tail.err()).isZero();
      assertThat(tail.out()).contains("validate found 2 error(s)")
          .containsPattern("error +tools/tool-websearch/kamiwaza\\.json:\\d+:\\d+  manifest\\.version-format  ")
          .containsPattern("error +tools/tool-websearch/kamiwaza\\.json");
      CliRun json = CliRun.of(remoteEnv(), "status", id, "--format", "json");
      assertThat(json.exitCode()).isEqualTo(ExitCodes.FINDINGS);
      assertThat(CODEC.mapper().readTree(json.out()).fieldNames()).toIterable()
          .startsWith("id", "state", "reason", "actor", "source", "stage");
      CliRun list = CliRun.of(remoteEnv(), "pipelines", "--format", "json", "--state", "failed");
      assertThat(CODEC.mapper().readTree(list.out()).path("pipelines").findValuesAsText("id")).contains(id);
      JsonNode row = java.util.stream.StreamSupport.stream(CODEC.mapper().readTree(list.out()).path("pipelines")
          .spliterator(), false).filter(p -> p.path("id").asText().equals(id)).findFirst().orElseThrow();
      assertThat(row.path("actor").asText()).isNotBlank();
      assertThat(row.path("stage").asText()).isEqualTo("dev");
      assertThat(row.path("source").asText()).isNotBlank();
      CliRun table = CliRun.of(remoteEnv(), "pipelines", "--state", "failed");
      assertThat(table.out().lines().findFirst().orElse("")).startsWith("PIPELINE").contains("STATE", "STAGE",
          "ACTOR", "STARTED", "SOURCE");
      assertThat(table.out()).containsPattern(java.util.regex.Pattern.quote(id) + " +failed +dev +\\S+");
      JsonNode shown = client.pipeline(id);
      JsonNode annotation = shown.path("steps").get(0).path("extensions").get(0).path("annotations").get(0);
      assertThat(annotation.path("extension").asText()).isEqualTo("tools/tool-websearch");
      assertThat(annotation.path("file").asText()).isEqualTo("kamiwaza.json");
      assertThat(annotation.path("rule").asText()).isNotBlank();
    } finally {
      Files.writeString(kamiwaza, original);
    }
  }

  @Test
  @DisplayName("under GARDEN_URL the stage commands act on the gateway's stage: list-published shows its entries, a"
      + " dry-run unpublish leaves them, an unpublish removes one, promote and a forced unlock run there; the others refuse"
      + " (exit 2); no local store is made")
  void stageCommandsGoThroughTheGateway() throws Exception {
    Map<String, String> remoteEnv = remoteEnv();
    Path localStore = repo.resolve(".garden/store");
    io.garden.common.model.FileTrees.delete(repo.resolve(".garden"));
    String at = "--repo=" + repo;
    CliRun published = CliRun.of(remoteEnv, "publish-registry", "--stage", "dev", at);
    assertThat(published.exitCode()).as(published.out() + published.err()).isZero();

    CliRun listed = CliRun.of(remoteEnv, "list-published", "--stage", "dev", at);
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("tool-websearch 0.6.1");
    assertThat(listed.out().lines()).hasSize(3);

    CliRun dryRun = CliRun.of(remoteEnv, "unpublish", "--dry-run", "--stage", "dev", "tool-websearch", at);
    assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
    assertThat(CliRun.of(remoteEnv, "list-published", "--stage", "dev", at).out()).contains("tool-websearch");
    Map<String, String> oldVariable = new HashMap<>(remoteEnv);
    oldVariable.put("DRY_RUN", "1");
    CliRun mixed = CliRun.of(oldVariable, "unpublish", "--stage", "dev", "tool-websearch", at);
    assertThat(mixed.exitCode()).as("DRY_RUN=1 without --dry-run is refused, never a real unpublish")
        .isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of(remoteEnv, "list-published", "--stage", "dev", at).out()).contains("tool-websearch");

    CliRun removed = CliRun.of(remoteEnv, "unpublish", "--stage", "dev", "tool-websearch", at);
    assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
    assertThat(CliRun.of(remoteEnv, "list-published", "--stage", "dev", at).out()).doesNotContain("tool-websearch");
    CliRun again = CliRun.of(remoteEnv, "unpublish", "--stage", "dev", "tool-websearch", at);
    assertThat(again.exitCode()).as("nothing to do: " + again.out() + again.err()).isEqualTo(ExitCodes.FINDINGS);

    CliRun forced = CliRun.of(remoteEnv, "remove-publish-lock", "--force", "--stage", "dev", at);
    assertThat(forced.exitCode()).as("a forced unlock is a gateway pipeline too: " + forced.out() + forced.err())
        .isZero();
    CliRun notOnStage = CliRun.of(remoteEnv, "promote", "tool", "tool-websearch", "--from", "dev", "--to", "stage", at);
    assertThat(notOnStage.exitCode()).as("the gateway's worker refuses what is not pinned on dev: " + notOnStage.out()
        + notOnStage.err()).isNotZero();
    assertThat(notOnStage.out() + notOnStage.err()).contains("tool-websearch");

    for (List<String> command : List.of(List.of("publish-registry-direct", "--stage", "dev", at),
        List.of("download-registry", at))) {
      CliRun refused = CliRun.of(remoteEnv, command.toArray(String[]::new));
      assertThat(refused.exitCode()).as(command + ": " + refused.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err()).as(command.toString()).contains("GARDEN_URL");
    }
    assertThat(localStore).as("nothing acted on a store of this machine").doesNotExist();
  }

  @Test
  @DisplayName("garden whoami says who the credential is to the gateway, its roles and what it may do; without"
      + " GARDEN_URL it says what to set")
  void whoamiAsksTheGateway() throws Exception {
    CliRun me = CliRun.of(remoteEnv(), "whoami");
    assertThat(me.exitCode()).as(me.err()).isZero();
    assertThat(me.out().lines().toList()).hasSize(3);
    assertThat(me.out()).startsWith("api:shared-token on " + node.url()).contains("roles: ").contains("may: run");
    CliRun json = CliRun.of(remoteEnv(), "whoami", "--format", "json");
    assertThat(CODEC.mapper().readTree(json.out()).path("actor").asText()).isEqualTo("api:shared-token");
    CliRun nowhere = CliRun.of(env, "whoami");
    assertThat(nowhere.exitCode()).isNotZero();
    assertThat(nowhere.err()).contains("GARDEN_URL");
  }

  /** The environment of a CLI pointed at this node's gateway. */
  private static Map<String, String> remoteEnv() {
    Map<String, String> remote = new HashMap<>(env);
    remote.put("GARDEN_URL", node.url());
    remote.put("GARDEN_API_TOKEN", node.token());
    return remote;
  }

  /** Submits ci-pipeline {@code id} and waits until it sits at build-registry (the registry worker must be away). */
  private static void submitWaitingAtBuildRegistry(String id) throws Exception {
    submitRaw(request("ci-pipeline", id));
    events.awaitEvent(e -> id.equals(e.pipelineId()) && isStep(e, StepStarted.class, "build-registry"));
  }

  private static String request(String step) {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"" + step + "\"],\"targets\":\"all\"}";
  }

  private static String request(String step, String pipelineId) {
    return request(step).replaceFirst("\\{", "{\"pipelineId\":\"" + pipelineId + "\",");
  }

  private static void submitRaw(String body) throws Exception {
    assertThat(post(body, node.token()).statusCode()).isEqualTo(202);
  }

  private static HttpResponse<String> post(String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/pipelines"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String body) {
    try {
      return CODEC.mapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private static long requestsEndOffset() throws Exception {
    return KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);
  }


  private static boolean isStep(Envelope e, Class<?> type, String step) {
    if (!EventTypes.is(e, type.asSubclass(io.garden.common.event.EventPayload.class))) {
      return false;
    }
    return step.equals(stepOf(e));
  }

  private static String stepOf(Envelope e) {
    Object payload = CODEC.payload(e);
    if (payload instanceof StepStarted s) {
      return s.step().wire();
    }
    if (payload instanceof StepFinished f) {
      return f.step().wire();
    }
    if (payload instanceof StepSkipped s) {
      return s.step().wire();
    }
    return null;
  }

  private static List<String> names(List<Envelope> events, Class<? extends io.garden.common.event.EventPayload> type) {
    return events.stream().filter(e -> EventTypes.is(e, type)).map(GatewayIT::stepOf)
        .collect(Collectors.toCollection(CopyOnWriteArrayList::new));
  }

  private static int indexOf(List<Envelope> events, Class<? extends io.garden.common.event.EventPayload> type,
                             String step) {
    for (int i = 0; i < events.size(); i++) {
      if (EventTypes.is(events.get(i), type) && step.equals(stepOf(events.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
