package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.Topics;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.garden.gateway.testing.FakeWorkers;
import io.garden.gateway.testing.RunningGateway;
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
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API's own behaviour: the real gateway service (coordinator and server) on a real broker, with stand-in
 * workers; the CLI's use of it is tested in the cli module.
 */
@ExtendWith(KafkaBroker.class)
class ApiIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path temp;

  private static Path repo;
  private static RunningGateway gateway;
  private static FakeWorkers workers;
  private static EventTail events;
  private static String runner;
  private static String reader;
  private static String unlocker;

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    CredentialFile credentials = new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC());
    runner = credentials.create("runner", EnumSet.of(Role.RUN));
    reader = credentials.create("reader", EnumSet.of(Role.READ));
    unlocker = credentials.create("unlocker", EnumSet.of(Role.RUN, Role.UNLOCK));
    gateway = RunningGateway.withFakeWorkers(Map.of(
        "GARDEN_API_TOKENS_FILE", credentials.path().toString(),
        "GARDEN_ALLOWED_PATHS", repo.toString()), temp.resolve("store"));
    workers = gateway.workers();
    events = gateway.events();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @DisplayName("health and readiness answer without a credential; Prometheus metrics only with one")
  void operationalEndpoints() throws Exception {
    assertThat(post(request("validate"), runner).statusCode()).isEqualTo(202);
    HttpResponse<String> health = get("/health");
    HttpResponse<String> ready = get("/ready");
    assertThat(get("/metrics").statusCode()).isEqualTo(401);
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(url("/metrics"))
        .header("Authorization", "Bearer " + reader).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(json(ready.body()).path("status").asText()).isEqualTo("READY");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("garden_http_requests_seconds").contains("garden_consumer_lag");
  }

  @Test
  @DisplayName("a POST retried with the same Idempotency-Key, even after the gateway restarted, is one pipeline")
  void idempotencyKeyMakesARetryOnePipeline() throws Exception {
    String key = java.util.UUID.randomUUID().toString();
    HttpResponse<String> first = post(request("validate"), runner, key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String id = json(first.body()).path("id").asText();
    events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));

    gateway.restartServer();
    HttpResponse<String> retry = post(request("validate"), runner, key);

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(json(retry.body()).path("id").asText()).isEqualTo(id);
    assertThat(json(retry.body()).path("state").asText()).isEqualTo("succeeded");
    assertThat(events.envelopes()).filteredOn(e -> id.equals(e.pipelineId())
        && e.type().equals("pipeline.requested")).hasSize(1);

    HttpResponse<String> badKey = post(request("validate"), runner, "not a key!");
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(json(badKey.body()).path("error").asText()).startsWith("Idempotency-Key must be");
    HttpResponse<String> both = post(request("validate").replaceFirst("\\{", "{\"pipelineId\":\"mine-1\","),
        runner, key);
    assertThat(both.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("bad requests get a 4xx JSON error and put nothing on Kafka")
  void badInputIsRefusedBeforeKafka() throws Exception {
    long before = KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);
    Path outside = Files.createDirectories(temp.resolve("elsewhere"));
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("malformed JSON", post("{\"source\": {\"path\": ", runner));
    answers.put("unknown step", post(request("deploy-to-the-moon"), runner));
    answers.put("unknown extension", post(request("validate").replace("\"all\"", "[\"apps/no-such-app\"]"), runner));
    answers.put("path outside the roots", post(request("validate").replace(repo.toString(), outside.toString()),
        runner));
    answers.put("git URL outside the allow-list", post("{\"source\":{\"repo\":\"https://evil.example/x.git\","
        + "\"commit\":\"" + "a".repeat(40) + "\"},\"steps\":[\"validate\"],\"targets\":\"all\"}", runner));
    answers.put("oversize body", post("{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", runner));
    answers.put("missing token", post(request("validate"), null));
    answers.put("wrong token", post(request("validate"), "not-the-token"));
    answers.put("webhook with no secret set", HTTP.send(HttpRequest.newBuilder(url("/webhooks/github"))
        .header("X-GitHub-Event", "push").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString()));

    answers.forEach((what, answer) -> {
      assertThat(answer.statusCode()).as(what).isBetween(400, 499);
      assertThat(answer.headers().firstValue("content-type")).as(what).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
      assertThat(json(answer.body()).path("error").asText()).as(what).isNotBlank();
    });
    assertThat(answers.get("missing token").statusCode()).isEqualTo(401);
    assertThat(answers.get("wrong token").statusCode()).isEqualTo(401);
    assertThat(answers.get("oversize body").statusCode()).isEqualTo(413);
    assertThat(answers.get("webhook with no secret set").statusCode()).isEqualTo(404);
    assertThat(answers.get("webhook with no secret set").body()).contains("GARDEN_GITHUB_WEBHOOK_SECRET is not set");
    assertThat(json(answers.get("unknown step").body()).path("error").asText()).contains("deploy-to-the-moon");
    assertThat(json(answers.get("unknown extension").body()).path("error").asText()).contains("apps/no-such-app");
    assertThat(KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS)).isEqualTo(before);
  }

  @Test
  @DisplayName("a cancel is the credential's to make: a read credential is refused (403, recorded), a run"
      + " credential's cancel ends the pipeline 'cancelled by api:runner'")
  void cancelIsAuthorisedAndNamed() throws Exception {
    workers.registryAway();
    try {
      HttpResponse<String> submitted = post(request("ci-pipeline"), runner);
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      String id = json(submitted.body()).path("id").asText();
      events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, StepStarted.class)
          && CODEC.payload(e, StepStarted.class).step() == StepName.BUILD_REGISTRY);

      HttpResponse<String> refused = delete("/api/v1/pipelines/" + id, reader);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      AccessDecided denial = CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
          && EventTypes.is(e, AccessDecided.class) && "api:reader".equals(e.actor())), AccessDecided.class);
      assertThat(denial.allowed()).isFalse();
      assertThat(denial.action()).isEqualTo(AccessAction.CANCEL);
      assertThat(denial.target()).isEqualTo(id);

      assertThat(delete("/api/v1/pipelines/" + id, runner).statusCode()).isEqualTo(202);

      PipelineFinished finished = CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
          && EventTypes.is(e, PipelineFinished.class)), PipelineFinished.class);
      assertThat(finished.state()).isEqualTo(PipelineFinished.State.CANCELLED);
      assertThat(finished.reason()).isEqualTo("cancelled by api:runner");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode shown = json(HTTP.send(HttpRequest.newBuilder(url("/api/v1/pipelines/" + id))
            .header("Authorization", "Bearer " + reader).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(shown.path("state").asText()).isEqualTo("cancelled");
        JsonNode step = java.util.stream.StreamSupport.stream(shown.path("steps").spliterator(), false)
            .filter(s -> s.path("name").asText().equals("build-registry")).findFirst().orElseThrow();
        assertThat(step.path("state").asText()).as("the step a cancel interrupted").isEqualTo("cancelled");
      });
    } finally {
      workers.registryBack();
    }
  }

  @Test
  @DisplayName("DELETE .../lock queues the lock's removal as a pipeline for a credential with the unlock role only,"
      + " and /api/v1/me says who may")
  void lockRemovalNeedsTheUnlockRole() throws Exception {
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(url("/api/v1/registry/dev/lock"))
        .header("Authorization", "Bearer " + runner).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> queued = HTTP.send(HttpRequest.newBuilder(url("/api/v1/registry/dev/lock"))
        .header("Authorization", "Bearer " + unlocker).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(url("/api/v1/me"))
        .header("Authorization", "Bearer " + runner).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(json(refused.body()).path("error").asText()).contains("unlock");
    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
    String id = json(queued.body()).path("id").asText();
    events.awaitEvent(e -> id.equals(e.pipelineId()) && e.type().equals("pipeline.started"));
    assertThat(json(me.body()).path("actor").asText()).isEqualTo("api:runner");
    assertThat(json(me.body()).path("mayRun").asBoolean()).isTrue();
    assertThat(json(me.body()).path("mayUnlock").asBoolean()).isFalse();
  }

  // ---- helpers ----

  private static String request(String step) {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"" + step + "\"],\"targets\":\"all\"}";
  }

  private static URI url(String path) {
    return URI.create(gateway.url() + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> delete(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + token).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String body, String token) throws Exception {
    return post(body, token, null);
  }

  private static HttpResponse<String> post(String body, String token, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/v1/pipelines"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
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
}
