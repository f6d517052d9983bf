package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.kafka.EnvelopeRecords;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.garden.gateway.testing.ApiClient;
import io.garden.gateway.testing.FakeWorkers;
import io.garden.gateway.testing.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile {@code run} credential holder (and a gateway that let too much through) tried on the gateway
 * service: a real broker, the real coordinator and HTTP server, stand-in workers. Each test is one finding: it
 * failed before the fix (a 202, a process exit, a pre-claimed id) and is refused or survived now, and after each the
 * node still runs a normal pipeline.
 */
@ExtendWith(KafkaBroker.class)
class HostileRequestsIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path temp;

  private static Path repo;
  private static Path crowded;
  private static RunningGateway gateway;
  private static FakeWorkers workers;
  private static EventTail events;
  private static String runner;
  private static String other;
  private static String publisher;
  private static String unlocker;

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    // What a fork's pull request adding thousands of extension folders (long names) looks like at its commit.
    crowded = Files.createDirectories(temp.resolve("crowded"));
    Files.createDirectories(crowded.resolve("apps"));
    Files.createDirectories(crowded.resolve("services"));
    for (int i = 0; i < 8_000; i++) {
      Files.createDirectories(crowded.resolve("tools").resolve(String.format("t%05d-", i) + "x".repeat(120)));
    }
    CredentialFile credentials = new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC());
    runner = credentials.create("runner", EnumSet.of(Role.RUN));
    other = credentials.create("other", EnumSet.of(Role.RUN));
    publisher = credentials.create("publisher", EnumSet.of(Role.RUN, Role.PUBLISH_PROD));
    unlocker = credentials.create("unlocker", EnumSet.of(Role.UNLOCK));
    gateway = RunningGateway.withFakeWorkers(Map.of(
        "GARDEN_API_TOKENS_FILE", credentials.path().toString(),
        "GARDEN_ALLOWED_PATHS", repo + java.io.File.pathSeparator + crowded), temp.resolve("store"));
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
  @DisplayName("a request listing 30,000 targets is refused at the door (422) and nothing reaches Kafka")
  void tooManyTargetsAtTheDoor() throws Exception {
    long before = KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);
    String targets = IntStream.range(0, 30_000).mapToObj(i -> "\"tools/t" + i + "\"")
        .collect(Collectors.joining(","));
    HttpResponse<String> answer = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
        + "\"targets\":[" + targets + "]}", runner, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
    assertThat(error(answer)).contains("lists 30000 extensions", "at most 1000");
    assertThat(KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS)).isEqualTo(before);
    normalPipelineSucceeds();
  }

  @Test
  @DisplayName("a request whose plan is larger than an event may be ends failed with the reason; the coordinator"
      + " carries on, and after a restart it does not replay into the same failure")
  void oversizedPlanIsRefusedNotFatal() throws Exception {
    // Straight onto the request topic, as a door without the budget (or an older gateway) would have put it.
    String id = "p-poison-" + UUID.randomUUID().toString().substring(0, 8);
    PipelineRequested request = new PipelineRequested(SourceRef.local(crowded.toString()),
        List.of(StepName.VALIDATE), Targets.all(), "dev", PipelineOptions.defaults());
    Vertx vertx = Vertx.vertx();
    try {
      KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx,
          new KafkaSettings(KafkaBroker.bootstrapServers(), "it-door", "it").producer());
      Envelope envelope = CODEC.envelope(request, new EventContext(id, id, "api:runner", "it-door"));
      producer.send(EnvelopeRecords.of(Topics.PIPELINE_REQUESTS, id, envelope)).await();
    } finally {
      vertx.close().await();
    }

    PipelineFinished refused = finished(id);
    assertThat(refused.state()).isEqualTo(PipelineFinished.State.FAILED);
    assertThat(refused.reason()).contains("8000 extension(s)", "larger than one event may be");
    normalPipelineSucceeds();

    gateway.restart("coordinator");
    normalPipelineSucceeds();
    assertThat(events.envelopes()).filteredOn(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class)).as("the request is not replayed after the restart").hasSize(1);
  }

  @Test
  @DisplayName("a run credential's dry run of an unpublish or a restore on prod is refused, and recorded")
  void dryRunsOfPrivilegedStepsNeedTheirRole() throws Exception {
    for (String step : List.of("unpublish", "restore-registry")) {
      HttpResponse<String> answer = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"" + step + "\"],"
          + "\"stage\":\"prod\",\"options\":{\"dryRun\":true,\"name\":\"tool-websearch\"}}", runner, null);
      assertThat(answer.statusCode()).as(step + ": " + answer.body()).isEqualTo(403);
      AccessAction action = step.equals("unpublish") ? AccessAction.UNPUBLISH : AccessAction.RESTORE;
      AccessDecided decided = CODEC.payload(events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class)
          && "api:runner".equals(e.actor()) && CODEC.payload(e, AccessDecided.class).action() == action
          && String.valueOf(CODEC.payload(e, AccessDecided.class).target()).endsWith("(dry run)")),
          AccessDecided.class);
      assertThat(decided.allowed()).isFalse();
      assertThat(decided.target()).endsWith("(dry run)");
    }
  }

  @Test
  @DisplayName("a run credential may not cancel a prod publish; the prod publisher may")
  void cancellingAProdPublishTakesProdsRole() throws Exception {
    workers.registryAway();
    try {
      HttpResponse<String> submitted = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":"
          + "[\"publish-registry\"],\"stage\":\"prod\"}", publisher, null);
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      String id = json(submitted.body()).path("id").asText();
      events.awaitEvent(e -> id.equals(e.pipelineId()) && e.type().equals("step.started"));

      assertThat(json(get("/api/v1/pipelines/" + id, runner).body()).path("may").path("cancel").asBoolean())
          .as("the page hides Cancel from a run credential").isFalse();
      assertThat(json(get("/api/v1/pipelines/" + id, publisher).body()).path("may").path("cancel").asBoolean())
          .isTrue();
      HttpResponse<String> refused = delete("/api/v1/pipelines/" + id, runner);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      assertThat(error(refused)).contains("cancel a pipeline that changes prod", "publish:prod");
      AccessDecided denial = CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
          && EventTypes.is(e, AccessDecided.class) && "api:runner".equals(e.actor())), AccessDecided.class);
      assertThat(denial.action()).isEqualTo(AccessAction.CANCEL);
      assertThat(denial.allowed()).isFalse();

      assertThat(delete("/api/v1/pipelines/" + id, publisher).statusCode()).isEqualTo(202);
      workers.registryBack();
      // A publish under way is let finish (half a publish is worse than either); the pipeline then ends.
      assertThat(finished(id).state()).isIn(PipelineFinished.State.CANCELLED, PipelineFinished.State.SUCCEEDED);
    } finally {
      workers.registryBack();
    }
  }

  @Test
  @DisplayName("an Idempotency-Key's pipeline cannot be claimed first by another credential through pipelineId")
  void keyedIdsCannotBePreClaimed() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> mine = post(validateAll(), runner, key);
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(202);
    String keyedId = json(mine.body()).path("id").asText();
    assertThat(keyedId).startsWith("p-key-");

    HttpResponse<String> claim = post(validateAll().replaceFirst("\\{", "{\"pipelineId\":\"p-key-0123456789ab\","),
        other, null);
    assertThat(claim.statusCode()).as(claim.body()).isEqualTo(400);
    assertThat(error(claim)).contains("may not start with 'p-key-'");
    HttpResponse<String> sameKeyOther = post(validateAll(), other, key);
    assertThat(json(sameKeyOther.body()).path("id").asText()).as("another credential's key, another pipeline")
        .isNotEqualTo(keyedId);
  }

  @Test
  @DisplayName("duplicate keys and broken JSON get plain 400s that name the place, never the parser's words")
  void plainBodyErrors() throws Exception {
    HttpResponse<String> duplicate = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
        + "\"steps\":[\"publish-registry\"]}", runner, null);
    HttpResponse<String> trailingComma = post("{\"source\":{\"path\":\"" + repo + "\"},\n\"steps\":[\"validate\"],\n}",
        runner, null);
    HttpResponse<String> wrongType = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":\"validate\","
        + "\"options\":{\"dryRun\":\"yes\"}}", runner, null);

    assertThat(duplicate.statusCode()).isEqualTo(400);
    assertThat(error(duplicate)).startsWith("the request body gives 'steps' twice (line 1, column ")
        .endsWith("): give each field once");
    assertThat(trailingComma.statusCode()).isEqualTo(400);
    assertThat(error(trailingComma)).startsWith("the request body is not valid JSON (line 3, column");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    for (HttpResponse<String> answer : List.of(duplicate, trailingComma, wrongType)) {
      assertThat(error(answer)).doesNotContain("code 125", "com.fasterxml", "jackson", "Jackson", "Cannot deserialize",
          "JsonToken", "StreamReadFeature");
    }
  }

  @Test
  @DisplayName("a refused source is recorded as an access.decided, like every 4xx a known principal gets")
  void refusedSourcesAreRecorded() throws Exception {
    HttpResponse<String> answer = post("{\"source\":{\"path\":\"/root/.ssh\"},\"steps\":[\"validate\"]}", runner,
        null);
    assertThat(answer.statusCode()).isEqualTo(400);
    AccessDecided decided = CODEC.payload(events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class)
        && "api:runner".equals(e.actor()) && CODEC.payload(e, AccessDecided.class).reason().contains("/root/.ssh")),
        AccessDecided.class);
    assertThat(decided.allowed()).isFalse();
    assertThat(decided.reason()).startsWith("400: ").contains("outside the allowed roots");
    assertThat(decided.door()).isEqualTo("api");
  }

  @Test
  @DisplayName("an unlock-only credential removes a lock, and /api/v1/me says so from the same policy")
  void unlockOnlyCredential() throws Exception {
    JsonNode me = json(get("/api/v1/me", unlocker).body());
    assertThat(me.path("may").path("unlock").asBoolean()).isTrue();
    assertThat(me.path("may").path("run").asBoolean()).isFalse();
    assertThat(me.path("mayUnlock").asBoolean()).isTrue();
    HttpResponse<String> removed = HTTP.send(HttpRequest.newBuilder(url("/api/v1/registry/dev/lock"))
        .header("Authorization", "Bearer " + unlocker).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);
    assertThat(finished(json(removed.body()).path("id").asText()).state())
        .isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  // ---- helpers ----

  /** After every attack: the node still answers and runs an ordinary pipeline to the end. */
  private static void normalPipelineSucceeds() throws Exception {
    assertThat(api().health()).isEqualTo(200);
    HttpResponse<String> submitted = post(validateAll(), runner, null);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    assertThat(finished(json(submitted.body()).path("id").asText()).state())
        .isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  private static PipelineFinished finished(String id) {
    return CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class)), PipelineFinished.class);
  }

  private static String validateAll() {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],\"targets\":\"all\"}";
  }

  private static ApiClient api() {
    return new ApiClient(gateway.url());
  }

  private static URI url(String path) {
    return api().url(path);
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return api().get(path, token);
  }

  private static HttpResponse<String> delete(String path, String token) throws Exception {
    return api().delete(path, token);
  }

  private static HttpResponse<String> post(String body, String token, String idempotencyKey) throws Exception {
    return api().submit(body, token, idempotencyKey);
  }

  private static String error(HttpResponse<String> answer) {
    return ApiClient.error(answer);
  }

  private static JsonNode json(String body) {
    return ApiClient.json(body);
  }
}
