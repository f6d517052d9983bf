package io.garden.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.kafka.Topics;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as an attacker and a low-privilege insider meet it: a real broker, the real HTTP server, named
 * credentials in a real file, and nothing behind the gateway (a refused request must not need a worker to be
 * refused, and an allowed one only has to be queued).
 */
@ExtendWith(KafkaBroker.class)
class GatewayAccessIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String SLACK_SECRET = "it-slack-secret";
  private static final String GITHUB_SECRET = "it-github-secret";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  static Path temp;

  private static Vertx vertx;
  private static EventTail events;
  private static CredentialFile credentials;
  private static Map<String, String> tokens = new HashMap<>();
  private static String deployment;
  private static GatewayVerticle gateway;
  private static GatewayConfig config;
  private static GardenConfig garden;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    Path repo = temp.resolve("extensions");
    for (String type : List.of("apps", "services", "tools")) {
      Files.createDirectories(repo.resolve(type));
    }
    credentials = new CredentialFile(temp.resolve("etc/tokens.json"), Clock.systemUTC());
    tokens.put("runner", credentials.create("runner", EnumSet.of(Role.RUN)));
    tokens.put("prod-publisher", credentials.create("prod-publisher", EnumSet.of(Role.RUN, Role.PUBLISH_PROD)));
    tokens.put("admin", credentials.create("admin", EnumSet.of(Role.ADMIN)));
    tokens.put("promoter", credentials.create("promoter", EnumSet.of(Role.PROMOTE_PROD)));
    tokens.put("unlocker", credentials.create("unlocker", EnumSet.of(Role.UNLOCK)));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it");
    env.put("GARDEN_API_TOKENS_FILE", credentials.path().toString());
    env.put("GARDEN_ALLOWED_PATHS", repo.toString());
    env.put("GARDEN_ALLOWED_REPOS", "https://github.com/acme/extensions");
    env.put("GARDEN_SLACK_SIGNING_SECRET", SLACK_SECRET);
    env.put("GARDEN_GITHUB_WEBHOOK_SECRET", GITHUB_SECRET);
    env.put("GARDEN_CHATOPS_REPO", repo.toString());
    // The body time shorter than the idle time, as in the defaults (20 s, 30 s): with both at 2 s the idle timeout
    // sometimes closed a half-sent request first, and the 408 halfSentBodiesAreBounded expects never came.
    env.put("GARDEN_HTTP_IDLE_SECONDS", "4");
    env.put("GARDEN_HTTP_BODY_SECONDS", "2");
    env.put("GARDEN_UNVERIFIED_BODY_BYTES", Integer.toString(256 * 1024));
    config = GatewayConfig.fromEnv(env).withPort(0).withBind(GatewayConfig.LOOPBACK);
    garden = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "gateway", "it");
    try (Admin admin = Admin.create(settings.admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    vertx = Vertx.vertx();
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
    deploy();
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
  }

  private static void deploy() {
    gateway = new GatewayVerticle(new KafkaSettings(KafkaBroker.bootstrapServers(), "gateway", "it"), garden, config,
        Duration.ofSeconds(15));
    deployment = vertx.deployVerticle(gateway).await();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    if (events != null) {
      events.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a run credential cannot publish, unpublish, restore or unlock prod: 403, nothing queued, and the"
      + " refusal names the credential's principal whatever X-Garden-Actor says")
  void runCredentialCannotChangeProd() throws Exception {
    Map<AccessAction, String> attempts = Map.of(
        AccessAction.PUBLISH, "{\"steps\":[\"publish-registry\"]",
        AccessAction.UNPUBLISH, "{\"steps\":[\"unpublish\"],\"options\":{\"name\":\"tool-demo\"}",
        AccessAction.RESTORE, "{\"steps\":[\"restore-registry\"]",
        AccessAction.UNLOCK, "{\"steps\":[\"remove-publish-lock\"]");
    for (Map.Entry<AccessAction, String> attempt : attempts.entrySet()) {
      long queuedBefore = KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);
      Instant asked = Instant.now();
      HttpResponse<String> response = post("/api/v1/pipelines", tokens.get("runner"), attempt.getValue()
          + ",\"source\":{\"path\":\"" + repoPath() + "\"},\"targets\":\"all\",\"stage\":\"prod\"}");

      assertThat(response.statusCode()).as(attempt.getKey() + ": " + response.body()).isEqualTo(403);
      assertThat(json(response.body()).path("error").asText()).contains("api:runner", attempt.getKey().wire());
      Envelope decided = events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class) && !e.time().isBefore(
          asked.minusSeconds(1)) && CODEC.payload(e, AccessDecided.class).action() == attempt.getKey());
      AccessDecided decision = CODEC.payload(decided, AccessDecided.class);
      assertThat(decided.actor()).isEqualTo("api:runner");
      assertThat(decision.actor()).isEqualTo("api:runner");
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.stage()).isEqualTo("prod");
      assertThat(decision.door()).isEqualTo("api");
      assertThat(KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS)).isEqualTo(queuedBefore);
    }
  }

  @Test
  @DisplayName("promote and a forced unlock are their own decisions: publish:prod cannot promote to prod, unlock"
      + " cannot force; promote:prod can, recorded as a promote of that name from stage")
  void promoteAndForcedUnlockHaveTheirOwnRoles() throws Exception {
    String promote = "{\"steps\":[\"promote\"],\"source\":{\"path\":\"" + repoPath() + "\"},\"stage\":\"prod\","
        + "\"options\":{\"name\":\"tool-x\",\"from\":\"stage\"}}";
    String forcedUnlock = "{\"steps\":[\"remove-publish-lock\"],\"source\":{\"path\":\"" + repoPath() + "\"},"
        + "\"stage\":\"prod\",\"options\":{\"force\":true}}";
    long queuedBefore = KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);

    HttpResponse<String> byPublisher = post("/api/v1/pipelines", tokens.get("prod-publisher"), promote);
    HttpResponse<String> forcedByUnlocker = post("/api/v1/pipelines", tokens.get("unlocker"), forcedUnlock);
    HttpResponse<String> backwards = post("/api/v1/pipelines", tokens.get("promoter"),
        promote.replace("\"from\":\"stage\"", "\"from\":\"prod\""));

    assertThat(byPublisher.statusCode()).as(byPublisher.body()).isEqualTo(403);
    assertThat(byPublisher.body()).contains("promote:prod");
    assertThat(forcedByUnlocker.statusCode()).as(forcedByUnlocker.body()).isEqualTo(403);
    assertThat(forcedByUnlocker.body()).contains("unlock:force");
    assertThat(backwards.statusCode()).as(backwards.body()).isEqualTo(400);
    assertThat(backwards.body()).contains("promote goes forward");
    assertThat(KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS)).isEqualTo(queuedBefore);

    HttpResponse<String> allowed = post("/api/v1/pipelines", tokens.get("promoter"), promote);
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(202);
    String id = json(allowed.body()).path("id").asText();
    Envelope decided = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, AccessDecided.class));
    AccessDecided decision = CODEC.payload(decided, AccessDecided.class);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.action()).isEqualTo(AccessAction.PROMOTE);
    assertThat(decision.target()).isEqualTo("tool-x from stage");
  }

  @Test
  @DisplayName("publish:prod allows prod and nothing else: a dev publish with it is refused; the allowed one is"
      + " queued under the credential's name, after its access.decided")
  void publishRoleIsPerStage() throws Exception {
    String body = "{\"steps\":[\"publish-registry\"],\"source\":{\"path\":\"" + repoPath() + "\"},\"stage\":\"%s\"}";
    HttpResponse<String> prod = post("/api/v1/pipelines", tokens.get("prod-publisher"), body.formatted("prod"));
    HttpResponse<String> dev = post("/api/v1/pipelines", tokens.get("prod-publisher"), body.formatted("dev"));

    assertThat(prod.statusCode()).as(prod.body()).isEqualTo(202);
    assertThat(dev.statusCode()).as(dev.body()).isEqualTo(403);
    String id = json(prod.body()).path("id").asText();
    Envelope decided = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, AccessDecided.class));
    assertThat(CODEC.payload(decided, AccessDecided.class).allowed()).isTrue();
    assertThat(CODEC.payload(decided, AccessDecided.class).reason()).contains("publish:prod");
    try (EventTail queued = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.PIPELINE_REQUESTS)) {
      Envelope requested = queued.awaitEvent(e -> id.equals(e.pipelineId()));
      assertThat(requested.actor()).isEqualTo("api:prod-publisher");
    }
  }

  @Test
  @DisplayName("a revoked credential is refused within seconds, without a restart; an unknown one never worked")
  void revokedCredentialIsRefused() throws Exception {
    String secret = credentials.create("short-lived", EnumSet.of(Role.READ));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/pipelines", secret).statusCode() == 200);
    credentials.revoke("short-lived");
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/pipelines", secret).statusCode() == 401);
    assertThat(get("/api/v1/pipelines", "gdn_" + "x".repeat(43)).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a pipeline id already taken is a 409, and the second request puts nothing on Kafka")
  void reusedPipelineIdIsAConflict() throws Exception {
    String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"pipelineId\":\"" + id + "\",\"steps\":[\"validate\"],\"source\":{\"path\":\"" + repoPath()
        + "\"}}";
    assertThat(post("/api/v1/pipelines", tokens.get("runner"), body).statusCode()).isEqualTo(202);
    long queued = KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS);

    HttpResponse<String> again = post("/api/v1/pipelines", tokens.get("runner"), body);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    assertThat(again.body()).contains(id, "exists already");
    assertThat(KafkaBroker.endOffsets(Topics.PIPELINE_REQUESTS)).isEqualTo(queued);
  }

  @Test
  @DisplayName("an allowed repository is matched at a path boundary: .../extensions-evil and another owner are"
      + " refused, a different spelling of the allowed one is not")
  void repositoryPrefixIsNotEnough() throws Exception {
    String body = "{\"steps\":[\"validate\"],\"source\":{\"repo\":\"%s\",\"commit\":\"" + COMMIT + "\"}}";
    for (String evil : List.of("https://github.com/acme/extensions-evil", "https://github.com/acme/extensionsX.git",
        "https://github.com/acme/extensions/../../attacker/x")) {
      HttpResponse<String> response = post("/api/v1/pipelines", tokens.get("admin"), body.formatted(evil));
      assertThat(response.statusCode()).as(evil).isEqualTo(400);
    }
    HttpResponse<String> same = post("/api/v1/pipelines", tokens.get("admin"),
        body.formatted("https://GitHub.com:443/acme/extensions.git"));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(202);
  }

  @Test
  @DisplayName("half-sent bodies are bounded: beyond the shared budget a request is refused at once, and a body"
      + " that stops arriving is cut off, which frees its share")
  void halfSentBodiesAreBounded() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = slow.getOutputStream();
      out.write(headers("/webhooks/github", 200_000).getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[150_000]);
      out.flush();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(rawStatus(headers("/webhooks/github", 200_000), new byte[10])).isEqualTo(503));

      InputStream in = slow.getInputStream();
      slow.setSoTimeout(10_000);
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 408");
    }
    byte[] unsigned = new byte[200_000];
    assertThat(rawStatus(headers("/webhooks/github", unsigned.length), unsigned)).as("its share was freed")
        .isEqualTo(401);
  }

  @Test
  @DisplayName("a connection that sends nothing is closed by the idle timeout")
  void idleConnectionsAreClosed() throws Exception {
    try (Socket idle = new Socket("127.0.0.1", gateway.port())) {
      idle.setSoTimeout(10_000);
      long started = System.nanoTime();
      assertThat(idle.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
    }
  }

  @Test
  @DisplayName("an unsigned form body over 8 KB is a plain 4xx on every door, with no stack trace in the log")
  void formBodiesAreRefusedQuietly() throws Exception {
    String form = "text=" + "a".repeat(9000) + "&user_id=U1";
    LOGS.list.clear();
    for (String path : List.of("/webhooks/github", "/chatops/slack", "/api/v1/pipelines")) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url(path))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Bearer " + tokens.get("runner"))
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(400, 499);
    }
    assertThat(List.copyOf(LOGS.list)).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
        || e.getThrowableProxy() != null);
  }

  @Test
  @DisplayName("a signed chat command replayed after a gateway restart is refused (401)")
  void slackReplayAfterRestartIsRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    String body = "token=unused&team_id=T1&user_id=UREPLAY&command=%2Fgarden&text=help&trigger_id=1.2."
        + UUID.randomUUID().toString().replace("-", "");
    String signature = slackSign(now, body);
    assertThat(chat(body, now, signature).statusCode()).isEqualTo(200);

    vertx.undeploy(deployment).await();
    deploy();

    HttpResponse<String> replay = chat(body, now, signature);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("already received");
  }

  @Test
  @DisplayName("a gateway bound to loopback cannot be reached on another address of this machine")
  void listensOnlyWhereItSays() throws Exception {
    Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (java.net.SocketException e) {
            return false;
          }
        })
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address).findFirst();
    assumeThat(other).as("this machine has no address besides loopback").isPresent();
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    try (Socket socket = new Socket()) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> socket.connect(
          new InetSocketAddress(other.get(), gateway.port()), 2000))).isInstanceOf(java.io.IOException.class);
    }
  }

  // ---- helpers ----

  private static String repoPath() {
    return temp.resolve("extensions").toString();
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").header("X-Garden-Actor", "someone-else")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> chat(String body, long timestamp, String signature) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url("/chatops/slack"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(timestamp)).header("X-Slack-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String slackSign(long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SLACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
        .getBytes(StandardCharsets.UTF_8)));
  }

  private static String headers(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n"
        + "X-Hub-Signature-256: sha256=00\r\nContent-Length: " + length + "\r\n\r\n";
  }

  /** Sends a whole request on its own connection and reads the status line of the answer. */
  private static int rawStatus(String head, byte[] body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(body);
        out.flush();
      } catch (java.io.IOException refusedEarly) {
        // answered before the body was all sent: the status line is still there to read
      }
      byte[] line = new byte[12];
      int read = socket.getInputStream().readNBytes(line, 0, 12);
      return Integer.parseInt(new String(line, 0, read, StandardCharsets.US_ASCII).substring(9, 12));
    }
  }

  private static JsonNode json(String body) throws Exception {
    return CODEC.mapper().readTree(body);
  }
}
