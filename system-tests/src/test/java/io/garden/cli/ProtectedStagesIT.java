package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A protected prod as its users meet it: alice (publish:prod) asks for a publish, which runs its dry run and waits;
 * alice may not approve it, carol (run only) may not either; bob (approve:prod) does, and it runs. A second request
 * that waited while the first landed finds its plan changed when it runs, writes nothing, and waits again with the
 * new plan; a rejection ends a third. Everything in the audit trail.
 */
@ExtendWith(KafkaBroker.class)
class ProtectedStagesIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path temp;

  @Test
  @DisplayName("a prod publish waits for a second person: the requester's approval and a run-only credential's are"
      + " refused, an approver's runs it; a plan that changed since its approval waits again; a rejection ends it")
  void aProtectedPublishWaitsForASecondPerson() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Path tokens = temp.resolve("tokens.json");
    CredentialFile credentials = new CredentialFile(tokens, Clock.systemUTC());
    String alice = credentials.create("alice", EnumSet.of(Role.RUN, Role.PUBLISH_PROD));
    String bob = credentials.create("bob", EnumSet.of(Role.APPROVE_PROD));
    String carol = credentials.create("carol", EnumSet.of(Role.RUN));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-protected");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("GARDEN_API_TOKENS_FILE", tokens.toString());
    env.put("GARDEN_PROTECTED_STAGES", "prod:1");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .allowingPaths(List.of(repo)))) {
      String url = running.node().url();
      String first = publish(url, alice, repo);
      String second = publish(url, alice, repo);
      JsonNode waiting = awaitWaiting(url, alice, first);
      assertThat(waiting.path("approval").path("requester").asText()).isEqualTo("api:alice");
      assertThat(waiting.path("approval").path("decisions")).as("the dry run's plan, shown to the approver")
          .isNotEmpty();
      awaitWaiting(url, alice, second);

      CliRun own = CliRun.of(as(env, url, alice), "approve", first);
      assertThat(own.exitCode()).as(own.out() + own.err()).isNotZero();
      assertThat(own.err()).contains("api:alice asked for pipeline " + first, "another person");
      CliRun runOnly = CliRun.of(as(env, url, carol), "approve", first);
      assertThat(runOnly.exitCode()).isNotZero();
      assertThat(runOnly.err()).contains("approve:prod");

      CliRun approved = CliRun.of(as(env, url, bob), "approve", first);
      assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
      assertThat(approved.out()).contains("publish-registry to prod, asked by api:alice", "INSERT", "approved");
      assertThat(finished(running, first).state()).isEqualTo(PipelineFinished.State.SUCCEEDED);

      // The second was planned before the first landed: approved now, its write finds another plan, writes nothing
      // and waits for approval of what it would now do.
      String before = waiting(url, alice, second).path("approval").path("plan").asText();
      assertThat(CliRun.of(as(env, url, bob), "approve", second).exitCode()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        JsonNode now = get(url, alice, "/api/v1/pipelines/" + second);
        return now.path("approval").isObject() && !now.path("approval").path("plan").asText().equals(before);
      });
      CliRun status = CliRun.of(as(env, url, alice), "status", second);
      assertThat(status.out()).contains("awaiting-approval", "waiting for approval", "UNCHANGED");

      CliRun rejected = CliRun.of(as(env, url, bob), "reject", second, "--reason", "nothing to publish");
      assertThat(rejected.exitCode()).as(rejected.out() + rejected.err()).isZero();
      PipelineFinished ended = finished(running, second);
      assertThat(ended.state()).isEqualTo(PipelineFinished.State.FAILED);
      assertThat(ended.reason()).isEqualTo("rejected by api:bob: nothing to publish");

      assertThat(running.events().envelopes().stream().filter(e -> first.equals(e.pipelineId())
          && EventTypes.is(e, ApprovalDecided.class)).map(e -> CODEC.payload(e, ApprovalDecided.class)))
          .singleElement().satisfies(d -> {
            assertThat(d.approver()).isEqualTo("api:bob");
            assertThat(d.requester()).isEqualTo("api:alice");
          });
      assertThat(running.events().envelopes().stream().filter(e -> second.equals(e.pipelineId())
          && EventTypes.is(e, ApprovalRequested.class))).as("asked again with the new plan").hasSize(2);
      CliRun audit = CliRun.of(as(env, url, bob), "tail", "--pipeline", first, "--no-follow");
      assertThat(audit.out()).as(audit.err()).contains("another person with the approve:prod role", "approved by api:bob");
    }
  }

  @Test
  @DisplayName("a request nobody approves in time ends rejected as expired; an admin's emergency approval, with its"
      + " reason, runs one at once and is flagged in the history")
  void expiryAndTheEmergencyPath() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Path tokens = temp.resolve("tokens.json");
    CredentialFile credentials = new CredentialFile(tokens, Clock.systemUTC());
    String alice = credentials.create("alice", EnumSet.of(Role.RUN, Role.PUBLISH_STAGE));
    String root = credentials.create("root", EnumSet.of(Role.ADMIN));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-expiry");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("GARDEN_API_TOKENS_FILE", tokens.toString());
    env.put("GARDEN_PROTECTED_STAGES", "stage:2");
    env.put("GARDEN_APPROVAL_HOURS", "0.003"); // 10.8 s
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .allowingPaths(List.of(repo)))) {
      String url = running.node().url();
      String expiring = publish(url, alice, repo, "stage");
      String urgent = publish(url, alice, repo, "stage");
      awaitWaiting(url, alice, urgent);
      CliRun noReason = CliRun.of(as(env, url, root), "approve", urgent, "--emergency");
      assertThat(noReason.exitCode()).isNotZero();
      assertThat(noReason.err()).contains("--emergency needs --reason");
      CliRun emergency = CliRun.of(as(env, url, root), "approve", urgent, "--emergency", "--reason",
          "the catalogue is broken for customers");
      assertThat(emergency.exitCode()).as(emergency.out() + emergency.err()).isZero();
      assertThat(emergency.out()).contains("approved (emergency)");
      assertThat(finished(running, urgent).state()).isEqualTo(PipelineFinished.State.SUCCEEDED);

      PipelineFinished expired = finished(running, expiring);
      assertThat(expired.state()).isEqualTo(PipelineFinished.State.FAILED);
      assertThat(expired.reason()).startsWith("rejected by system:expiry: expired");

      CliRun history = CliRun.of(as(env, url, root), "history", "--stage", "stage", "--since",
          running.events().envelopes().get(0).time().toString());
      assertThat(history.out()).as(history.err()).contains(urgent, "[EMERGENCY by api:root: the catalogue is broken"
          + " for customers]");
    }
  }

  @Test
  @DisplayName("Slack: the approval request is posted with Approve and Reject buttons; a forged click is refused"
      + " (401), a click by someone not on GARDEN_APPROVERS_PROD is not allowed, an approver's click runs it, and"
      + " the same signed click replayed is refused")
  void approvedFromSlack() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Path tokens = temp.resolve("tokens.json");
    String alice = new CredentialFile(tokens, Clock.systemUTC()).create("alice", EnumSet.of(Role.RUN,
        Role.PUBLISH_PROD));
    try (io.garden.gateway.testing.NoticeSink slack = io.garden.gateway.testing.NoticeSink.start()) {
      Map<String, String> env = new HashMap<>();
      env.put("GARDEN_HOST", "it-slack-approvals");
      env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
      env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
      env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
      env.put("GARDEN_API_TOKENS_FILE", tokens.toString());
      env.put("GARDEN_PROTECTED_STAGES", "prod:1");
      env.put("GARDEN_SLACK_SIGNING_SECRET", SLACK_SECRET);
      env.put("GARDEN_APPROVERS_PROD", "slack:UBOB");
      env.put("GARDEN_NOTIFY_SLACK_URL", slack.url("/slack"));
      GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
      try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
          .allowingPaths(List.of(repo)))) {
        String url = running.node().url();
        String id = publish(url, alice, repo);
        await().atMost(Duration.ofSeconds(60)).until(() -> !slack.posts("/slack", "Approval needed").isEmpty());
        JsonNode message = CODEC.mapper().readTree(slack.posts("/slack", "Approval needed").get(0).text());
        JsonNode buttons = message.path("blocks").get(1).path("elements");
        assertThat(buttons).extracting(b -> b.path("text").path("text").asText()).containsExactly("Approve",
            "Reject");
        String value = buttons.get(0).path("value").asText();
        assertThat(value).startsWith(id + " sha256:");

        String bobClicks = click("UBOB", "garden-approve", value);
        HttpResponse<String> forged = interact(url, bobClicks, "wrong-secret");
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> notListed = interact(url, click("UEVE", "garden-approve", value), SLACK_SECRET);
        assertThat(notListed.statusCode()).isEqualTo(200);
        assertThat(notListed.body()).contains("Not allowed", "GARDEN_APPROVERS_PROD");

        long now = java.time.Instant.now().getEpochSecond();
        String signature = slackSignature(SLACK_SECRET, now, bobClicks);
        HttpResponse<String> approved = interact(url, bobClicks, now, signature);
        assertThat(approved.body()).contains("Approved by <@UBOB>");
        assertThat(finished(running, id).state()).isEqualTo(PipelineFinished.State.SUCCEEDED);
        HttpResponse<String> replayed = interact(url, bobClicks, now, signature);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("replay");
      }
    }
  }

  private static final String SLACK_SECRET = "it-slack-signing-secret";

  private static String click(String user, String action, String value) {
    String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + user + "\"},\"actions\":[{\"action_id\":\""
        + action + "\",\"value\":\"" + value + "\"}]}";
    return "payload=" + java.net.URLEncoder.encode(payload, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> interact(String url, String body, String secret) throws Exception {
    long now = java.time.Instant.now().getEpochSecond();
    return interact(url, body, now, slackSignature(secret, now, body));
  }

  private static HttpResponse<String> interact(String url, String body, long timestamp, String signature)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/chatops/slack/interactions"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(timestamp)).header("X-Slack-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String slackSignature(String secret, long timestamp, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "HmacSHA256"));
    return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static Map<String, String> as(Map<String, String> env, String url, String token) {
    Map<String, String> remote = new HashMap<>(env);
    remote.put("GARDEN_URL", url);
    remote.put("GARDEN_API_TOKEN", token);
    return remote;
  }

  private static String publish(String url, String token, Path repo) throws Exception {
    return publish(url, token, repo, "prod");
  }

  private static String publish(String url, String token, Path repo, String stage) throws Exception {
    String body = "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"publish-registry\"],\"targets\":\"all\","
        + "\"stage\":\"" + stage + "\"}";
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/pipelines"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return CODEC.mapper().readTree(response.body()).path("id").asText();
  }

  private static JsonNode awaitWaiting(String url, String token, String id) {
    await().atMost(Duration.ofSeconds(60)).until(() -> get(url, token, "/api/v1/pipelines/" + id).path("state")
        .asText().equals("awaiting-approval"));
    return waiting(url, token, id);
  }

  private static JsonNode waiting(String url, String token, String id) {
    return get(url, token, "/api/v1/pipelines/" + id);
  }

  private static JsonNode get(String url, String token, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      return CODEC.mapper().readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PipelineFinished finished(NodeUnderTest running, String id) {
    return CODEC.payload(running.events().awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class), Duration.ofSeconds(90)), PipelineFinished.class);
  }
}
