package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.Topics;
import io.garden.common.source.GitFixture;
import io.garden.gateway.hooks.GithubPayloadShapes;
import io.garden.common.ExamplesRepo;
import io.garden.gateway.notify.NotifyVerticle;
import io.garden.gateway.testing.FakeWorkers;
import io.garden.gateway.testing.NoticeSink;
import io.garden.common.kafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import io.garden.gateway.testing.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook and chat-ops doors from outside, on a real broker: signed HTTP deliveries of GitHub's payload shapes
 * against a real git repository, the pipelines they start (run by the real coordinator against stand-in workers), the
 * commit statuses reported to a stand-in for the GitHub API, and chat commands with their replies.
 */
@ExtendWith(KafkaBroker.class)
class WebhooksIT {

  private static final String SECRET = "it-webhook-secret";
  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;

  private static RunningGateway node;
  private static FakeWorkers workers;
  private static EventTail events;
  private static GitFixture git;
  private static HttpServer github;
  private static final List<String[]> statuses = new CopyOnWriteArrayList<>();
  private static final List<String> chatReplies = new CopyOnWriteArrayList<>();
  private static final Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final String SLACK_SECRET = "it-slack-secret";
  private static final String NOTIFY_SECRET = "it-notify-secret";
  private static NoticeSink notices;

  @BeforeAll
  static void start() throws Exception {
    github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    github.createContext("/slack/", exchange -> {
      chatReplies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    github.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      // Every status fails once (a host having a bad moment): the reporter must try again.
      if (failedOnce.add(exchange.getRequestURI().getPath() + body)) {
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      statuses.add(new String[] {exchange.getRequestURI().getPath(), body,
          exchange.getRequestHeaders().getFirst("Authorization") != null
              ? exchange.getRequestHeaders().getFirst("Authorization")
              : "PRIVATE-TOKEN " + exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN")});
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    github.start();
    git = GitFixture.create(temp.resolve("git/work"), temp.resolve("git/extensions.git"));
    ExamplesRepo.copyTo(git.work());
    git.commitAll("import the examples");

    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_ALLOWED_REPOS", git.url());
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("GARDEN_GITHUB_WEBHOOK_SECRET", SECRET);
    env.put("GARDEN_GITHUB_TOKEN", "it-github-token");
    env.put("GARDEN_GITHUB_API_URL", "http://127.0.0.1:" + github.getAddress().getPort());
    env.put("GARDEN_BOT_IDENTITY", "garden-bot");
    env.put("GARDEN_GITLAB_WEBHOOK_TOKEN", "it-gitlab-hook-token");
    env.put("GARDEN_GITLAB_TOKEN", "it-gitlab-api-token");
    env.put("GARDEN_GITLAB_API_URL", "http://127.0.0.1:" + github.getAddress().getPort() + "/gitlab");
    env.put("GARDEN_MAX_BODY_BYTES", "65536");
    Path chatRepo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("chat")));
    env.put("GARDEN_ALLOWED_PATHS", chatRepo.toString());
    env.put("GARDEN_CHATOPS_REPO", chatRepo.toString());
    env.put("GARDEN_SLACK_SIGNING_SECRET", SLACK_SECRET);
    env.put("GARDEN_SLACK_RESPONSE_URL_PREFIX", "http://127.0.0.1:" + github.getAddress().getPort() + "/slack/");
    env.put("GARDEN_PUBLISHERS_PROD", "slack:UALLOWED");
    env.put("GARDEN_API_TOKEN", "it-api-token");
    notices = NoticeSink.start();
    env.put("GARDEN_NOTIFY_SLACK_URL", notices.url("/slack"));
    env.put("GARDEN_NOTIFY_WEBHOOK_URL", notices.url("/webhook"));
    env.put("GARDEN_NOTIFY_WEBHOOK_SECRET", NOTIFY_SECRET);
    node = RunningGateway.withFakeWorkers(env, temp.resolve("store"));
    workers = node.workers();
    events = node.events();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (github != null) {
      github.stop(0);
    }
    if (notices != null) {
      notices.close();
    }
  }

  @Test
  @DisplayName("unsigned, wrongly signed, malformed and oversize deliveries are refused and put nothing on Kafka")
  void badDeliveriesReachNothing() throws Exception {
    long before = requestsEndOffset();
    String body = pushBody(git.commit("tools/tool-websearch/NOTES.txt", "bad deliveries"), List.of());

    assertThat(deliver("push", body, null, UUID.randomUUID().toString()).statusCode()).isEqualTo(401);
    assertThat(deliver("push", body, "sha256=" + "0".repeat(64), UUID.randomUUID().toString()).statusCode())
        .isEqualTo(401);
    assertThat(deliver("push", body, sign("another secret", body), UUID.randomUUID().toString()).statusCode())
        .isEqualTo(401);
    assertThat(deliver("push", "{\"ref\": ", sign(SECRET, "{\"ref\": "), UUID.randomUUID().toString())
        .statusCode()).isEqualTo(400);
    assertThat(deliver("push", "{\"ref\":\"refs/heads/main\"}", sign(SECRET, "{\"ref\":\"refs/heads/main\"}"),
        UUID.randomUUID().toString()).body()).contains("the payload has no");
    String huge = "{\"pad\":\"" + "x".repeat(70_000) + "\"}";
    assertThat(deliver("push", huge, sign(SECRET, huge), UUID.randomUUID().toString()).statusCode()).isEqualTo(413);
    HttpResponse<String> ping = deliver("ping", "{\"zen\":\"Keep it logically awesome.\"}",
        sign(SECRET, "{\"zen\":\"Keep it logically awesome.\"}"), UUID.randomUUID().toString());
    assertThat(ping.statusCode()).isEqualTo(200);

    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  @Test
  @DisplayName("one delivery sent ten times, and its body under another delivery id, start one pipeline, also after"
      + " a gateway restart")
  void redeliveriesStartOnePipeline() throws Exception {
    String sha = git.commit("tools/tool-websearch/NOTES.txt", "redelivery");
    String body = pushBody(sha, List.of("tools/tool-websearch/NOTES.txt"));
    String delivery = UUID.randomUUID().toString();
    long before = requestsEndOffset();

    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10; i++) {
      ids.add(json(deliver("push", body, sign(SECRET, body), delivery).body()).path("id").asText());
    }
    ids.add(json(deliver("push", body, sign(SECRET, body), UUID.randomUUID().toString()).body()).path("id")
        .asText());
    node.restartServer();
    HttpResponse<String> afterRestart = deliver("push", body, sign(SECRET, body), delivery);

    assertThat(ids).hasSize(1);
    assertThat(afterRestart.statusCode()).isEqualTo(200);
    assertThat(json(afterRestart.body()).path("id").asText()).isEqualTo(ids.iterator().next());
    assertThat(requestsEndOffset()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("a push touching only tools/tool-websearch runs for it alone and reports pending then success on its"
      + " commit, trying again when the host fails")
  void pushRunsForWhatItChangedAndReportsBack() throws Exception {
    String base = head();
    String sha = git.commit("tools/tool-websearch/NOTES.txt", "only this tool");

    String id = accepted(pushBody(base, sha, List.of("tools/tool-websearch/NOTES.txt")));

    Envelope started = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineStarted.class));
    assertThat(CODEC.payload(started, PipelineStarted.class).extensions()).containsExactly("tools/tool-websearch");
    Envelope end = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    PipelineFinished finished = CODEC.payload(end, PipelineFinished.class);
    assertThat(finished.state()).as(finished.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    await().atMost(Duration.ofSeconds(30)).until(() -> statesFor(sha).size() >= 2);
    assertThat(statesFor(sha)).containsExactly("pending", "success");
    String[] last = statuses.stream().filter(s -> s[0].endsWith(sha)).reduce((a, b) -> b).orElseThrow();
    assertThat(last[0]).isEqualTo("/repos/garden/extensions/statuses/" + sha);
    assertThat(json(last[1]).path("context").asText()).isEqualTo("garden/ci-pipeline");
    assertThat(last[2]).isEqualTo("Bearer it-github-token");
  }

  @Test
  @DisplayName("what changed comes from the checkout's diff, not the sender's list; a change to no extension is a"
      + " recorded no-op")
  void diffDecidesAndNothingChangedIsANoOp() throws Exception {
    String base = head();
    String sha = git.commit("apps/team-notes/NOTES.txt", "the list below does not say so");
    String id = accepted(pushBody(base, sha, List.of("README.md")));
    Envelope started = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineStarted.class));
    assertThat(CODEC.payload(started, PipelineStarted.class).extensions()).containsExactly("apps/team-notes");
    // Finished first: a push arriving while it runs would supersede it and take over its change.
    events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));

    String docsOnly = git.commit("docs/notes.md", "documentation only");
    String noop = accepted(pushBody(sha, docsOnly, List.of("docs/notes.md")));
    PipelineStarted plan = CODEC.payload(events.awaitEvent(e -> noop.equals(e.pipelineId())
        && EventTypes.is(e, PipelineStarted.class)), PipelineStarted.class);
    assertThat(plan.steps()).isEmpty();
    assertThat(plan.notes()).contains("no extension changed: nothing to run");
    assertThat(finished(noop).state())
        .isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  @Test
  @DisplayName("two quick pushes to one branch: the newer finishes, covering both pushes' changes; the older ends"
      + " cancelled as superseded by it")
  void newerPushSupersedesTheOlder() throws Exception {
    String base = head();
    String first = git.commit("tools/tool-websearch/NOTES.txt", "first");
    String second = git.commit("apps/team-notes/NOTES.txt", "second");
    List<String> ids = whileTheFirstWaits(pushBody(base, first, List.of("tools/tool-websearch/NOTES.txt")),
        pushBody(first, second, List.of("apps/team-notes/NOTES.txt")));
    String older = ids.get(0);
    String newer = ids.get(1);

    PipelineFinished olderEnd = finished(older);
    PipelineFinished newerEnd = finished(newer);
    assertThat(olderEnd.state()).isEqualTo(PipelineFinished.State.CANCELLED);
    assertThat(olderEnd.reason()).isEqualTo("superseded by " + newer);
    assertThat(newerEnd.state()).as(newerEnd.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    PipelineStarted covering = CODEC.payload(events.awaitEvent(e -> newer.equals(e.pipelineId())
        && EventTypes.is(e, PipelineStarted.class)), PipelineStarted.class);
    assertThat(covering.extensions()).as("the older push's change is checked too")
        .containsExactlyInAnyOrder("tools/tool-websearch", "apps/team-notes");
  }

  @Test
  @DisplayName("a delivery dated before the de-duplication window is refused and starts nothing; an older change"
      + " arriving after a newer one runs, but cancels nothing")
  void oldDeliveriesNeverCancelNewerWork() throws Exception {
    String base = head();
    String first = git.commit("apps/team-notes/NOTES.txt", "old change");
    String second = git.commit("apps/team-notes/NOTES.txt", "new change");
    long before = requestsEndOffset();
    String stale = pushBody(base, first, List.of("apps/team-notes/NOTES.txt"),
        java.time.Instant.now().minus(Duration.ofDays(2)));
    HttpResponse<String> refused = deliver("push", stale, sign(SECRET, stale), UUID.randomUUID().toString());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("older than the de-duplication window");
    assertThat(requestsEndOffset()).isEqualTo(before);

    String lateOlder = pushBody(base, first, List.of("apps/team-notes/NOTES.txt"),
        java.time.Instant.now().minus(Duration.ofHours(1)));
    List<String> ids = whileTheFirstWaits(pushBody(first, second, List.of("apps/team-notes/NOTES.txt")), lateOlder);
    PipelineFinished newerEnd = finished(ids.get(0));
    PipelineFinished olderEnd = finished(ids.get(1));
    assertThat(newerEnd.state()).as(newerEnd.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    assertThat(olderEnd.state()).as(olderEnd.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  @Test
  @DisplayName("a push by the pipeline's own bot starts nothing; a pull request from a fork only syncs and validates")
  void botPushesAndForks() throws Exception {
    String base = head();
    String sha = git.commit("apps/team-notes/NOTES.txt", "by the bot");
    ObjectNode push = (ObjectNode) json(pushBody(base, sha, List.of("apps/team-notes/NOTES.txt")));
    ((ObjectNode) push.path("pusher")).put("name", "garden-bot");
    HttpResponse<String> bot = deliver("push", push.toString(), sign(SECRET, push.toString()),
        UUID.randomUUID().toString());
    assertThat(bot.statusCode()).isEqualTo(200);
    assertThat(json(bot.body()).path("ignored").asText()).contains("own identity");

    String pr = GithubPayloadShapes.pullRequestFromFork(git.url(), base, sha);
    HttpResponse<String> response = deliver("pull_request", pr, sign(SECRET, pr), UUID.randomUUID().toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = json(response.body()).path("id").asText();
    Envelope requested = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineRequested.class));
    assertThat(CODEC.payload(requested, PipelineRequested.class).steps())
        .containsExactly(StepName.SYNC_COMPOSE, StepName.VALIDATE);
    assertThat(finished(id).state())
        .isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  @Test
  @DisplayName("a signed pull request from a fork that adds 9,000 extension folders ends its pipeline failed with the"
      + " reason; the coordinator carries on, and after a restart a normal push still runs")
  void aPullRequestTooLargeToPlanIsRefusedNotFatal() throws Exception {
    String base = head();
    for (int i = 0; i < 9_000; i++) {
      git.write(String.format("tools/t%05d-%s/kamiwaza.json", i, "x".repeat(120)), "{}");
    }
    String sha = git.commitAllOnBranch("fork-pr", "9,000 extensions");
    String pr = GithubPayloadShapes.pullRequestFromFork(git.url(), base, sha);
    HttpResponse<String> response = deliver("pull_request", pr, sign(SECRET, pr), UUID.randomUUID().toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = json(response.body()).path("id").asText();

    PipelineFinished refused = finished(id);
    assertThat(refused.state()).isEqualTo(PipelineFinished.State.FAILED);
    assertThat(refused.reason()).contains("extension(s): its plan", "larger than one event may be");
    noticesOfTheFailureArriveOnceEach(id);

    node.restart("coordinator");
    String after = git.commit("tools/tool-websearch/NOTES.txt", "after the large pull request");
    String push = pushBody(base, after, List.of("tools/tool-websearch/NOTES.txt"));
    HttpResponse<String> normal = deliver("push", push, sign(SECRET, push), UUID.randomUUID().toString());
    assertThat(normal.statusCode()).as(normal.body()).isEqualTo(202);
    assertThat(finished(json(normal.body()).path("id").asText()).state()).isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  @Test
  @DisplayName("a GitLab push with the right token runs once per idempotency key and reports running then success")
  void gitlabPush() throws Exception {
    String base = head();
    String sha = git.commit("tools/tool-websearch/NOTES.txt", "from gitlab");
    String body = """
        {"object_kind":"push","before":"%s","after":"%s","ref":"refs/heads/main","user_username":"alice",
         "project_id":42,"project":{"id":42,"git_http_url":"%s","path_with_namespace":"garden/extensions"},
         "commits":[{"id":"%s","added":[],"modified":["tools/tool-websearch/NOTES.txt"],"removed":[]}],
         "total_commits_count":1}
        """.formatted(base, sha, git.url(), sha);
    String key = UUID.randomUUID().toString();

    assertThat(gitlab(body, "wrong", key).statusCode()).isEqualTo(401);
    HttpResponse<String> first = gitlab(body, "it-gitlab-hook-token", key);
    HttpResponse<String> again = gitlab(body, "it-gitlab-hook-token", key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String id = json(first.body()).path("id").asText();
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again.body()).path("id").asText()).isEqualTo(id);
    PipelineFinished finished = finished(id);
    assertThat(finished.state()).as(finished.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    await().atMost(Duration.ofSeconds(30)).until(() -> statesFor(sha).size() >= 2);
    assertThat(statesFor(sha)).containsExactly("running", "success");
    String[] last = statuses.stream().filter(s -> s[0].endsWith(sha)).reduce((a, b) -> b).orElseThrow();
    assertThat(last[0]).isEqualTo("/gitlab/projects/42/statuses/" + sha);
    assertThat(json(last[1]).path("name").asText()).isEqualTo("garden/ci-pipeline");
    assertThat(last[2]).isEqualTo("PRIVATE-TOKEN it-gitlab-api-token");
  }

  private static HttpResponse<String> gitlab(String body, String token, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/webhooks/gitlab"))
        .header("Content-Type", "application/json").header("X-Gitlab-Event", "Push Hook")
        .header("X-Gitlab-Token", token).header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("an unauthorised 'publish x to prod' is refused with a reply and an audit event, and starts nothing")
  void unauthorisedChatPublishIsRefused() throws Exception {
    long before = requestsEndOffset();

    HttpResponse<String> response = chat("UDENIED", "publish apps/team-notes to prod");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).path("text").asText()).startsWith("Not allowed: slack:UDENIED is not on the"
        + " prod publisher list");
    Envelope decided = events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class)
        && "slack:UDENIED".equals(e.actor()));
    AccessDecided decision = CODEC.payload(decided, AccessDecided.class);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.stage()).isEqualTo("prod");
    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  @Test
  @DisplayName("an authorised 'publish x to prod' runs through the publish topic; the reply names the pipeline, whose"
      + " result reaches the channel")
  void authorisedChatPublishRuns() throws Exception {
    HttpResponse<String> response = chat("UALLOWED", "publish apps/team-notes to prod");

    String text = json(response.body()).path("text").asText();
    assertThat(text).contains("queued as pipeline p-");
    String id = text.replaceAll(".*pipeline (p-[A-Za-z0-9-]+).*", "$1");
    PipelineFinished finished = finished(id);
    assertThat(finished.state()).as(finished.reason()).isEqualTo(PipelineFinished.State.SUCCEEDED);
    assertThat(events.envelopes().stream().filter(e -> id.equals(e.pipelineId())))
        .anyMatch(e -> EventTypes.is(e, PublishFinished.class));
    Envelope decided = events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, AccessDecided.class));
    assertThat(CODEC.payload(decided, AccessDecided.class).allowed()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> chatReplies.stream()
        .anyMatch(r -> r.contains(id) && r.contains("succeeded")));
  }

  @Test
  @DisplayName("a chat publish of a bare name runs for that extension; a name that is nowhere is answered at once and"
      + " queues nothing")
  void chatNamesAreResolvedFirst() throws Exception {
    HttpResponse<String> bare = chat("UALLOWED", "publish team-notes to dev dry-run");
    assertThat(json(bare.body()).path("text").asText()).contains("dry run of the publish of apps/team-notes to dev"
        + " is queued as pipeline p-");

    long before = requestsEndOffset();
    HttpResponse<String> missing = chat("UALLOWED", "publish no-such-thing to dev");
    assertThat(missing.statusCode()).isEqualTo(200);
    assertThat(json(missing.body()).path("text").asText()).isEqualTo("No extension named no-such-thing in apps/,"
        + " services/ or tools/ of the chat-ops repository; nothing was done.");
    assertThat(json(missing.body()).path("response_type").asText()).isEqualTo("ephemeral");
    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  @Test
  @DisplayName("a chat command signed more than five minutes ago, or received twice, is refused")
  void staleAndReplayedChatCommandsAreRefused() throws Exception {
    long before = requestsEndOffset();
    String body = chatBody("UALLOWED", "help");
    long old = java.time.Instant.now().getEpochSecond() - 301;
    assertThat(postChat(body, String.valueOf(old), slackSign(old, body)).statusCode()).isEqualTo(401);

    long now = java.time.Instant.now().getEpochSecond();
    String signature = slackSign(now, body);
    assertThat(postChat(body, String.valueOf(now), signature).statusCode()).isEqualTo(200);
    assertThat(postChat(body, String.valueOf(now), signature).statusCode()).isEqualTo(401);
    assertThat(postChat(body, String.valueOf(now), null).statusCode()).isEqualTo(401);
    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  // ---- helpers ----

  private static HttpResponse<String> chat(String user, String text) throws Exception {
    String body = chatBody(user, text);
    long now = java.time.Instant.now().getEpochSecond();
    return postChat(body, String.valueOf(now), slackSign(now, body));
  }

  /** A slash command as Slack sends it (form-encoded, the fields of its documentation's example). */
  private static String chatBody(String user, String text) {
    java.util.function.Function<String, String> enc = v -> java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
    return "token=unused&team_id=T1DC2JH3J&team_domain=it&channel_id=G8PSS9T3V&channel_name=garden&user_id=" + user
        + "&user_name=" + user.toLowerCase() + "&command=%2Fgarden&text=" + enc.apply(text) + "&response_url="
        + enc.apply("http://127.0.0.1:" + github.getAddress().getPort() + "/slack/" + UUID.randomUUID())
        + "&trigger_id=398738663015.47445629121." + UUID.randomUUID().toString().replace("-", "");
  }

  private static HttpResponse<String> postChat(String body, String timestamp, String signature) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + "/chatops/slack"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", timestamp)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String slackSign(long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SLACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
        .getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Delivers {@code first}, waits until its pipeline sits at build-registry (the registry worker away: it is surely
   * still running), then delivers {@code second}; the ids of both pipelines.
   */
  private static List<String> whileTheFirstWaits(String first, String second) throws Exception {
    workers.registryAway();
    try {
      String firstId = accepted(first);
      events.awaitEvent(e -> firstId.equals(e.pipelineId()) && EventTypes.is(e, StepStarted.class)
          && CODEC.payload(e, StepStarted.class).step() == StepName.BUILD_REGISTRY);
      return List.of(firstId, accepted(second));
    } finally {
      workers.registryBack();
    }
  }

  /**
   * The generic webhook refuses the first post of the failure's notice, and the notifier is restarted right then,
   * mid-delivery: in the end each sink has taken the notice once, the webhook's signed as documented.
   */
  private static void noticesOfTheFailureArriveOnceEach(String id) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> !notices.posts("/webhook", id).isEmpty());
    node.restart(NotifyVerticle.GROUP);
    var finishedRecord = events.awaitRecord(r -> id.equals(r.key())
        && EventTypes.is(CODEC.decode(r.value()), PipelineFinished.class));
    // Once the notifier's group has committed past the failure, nothing can post it again: the count is final.
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it-notify", "it").admin())) {
      TopicPartition partition = new TopicPartition(Topics.EVENTS, finishedRecord.partition());
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        var committed = admin.listConsumerGroupOffsets(NotifyVerticle.GROUP).partitionsToOffsetAndMetadata().get()
            .get(partition);
        return committed != null && committed.offset() > finishedRecord.offset();
      });
    }
    assertThat(notices.posts("/slack", id)).as("Slack posts of the failure of " + id).hasSize(1);
    List<NoticeSink.Post> taken = notices.posts("/webhook", id).stream().filter(p -> p.answered() == 200).toList();
    assertThat(taken).as("webhook posts taken for " + id).hasSize(1);
    NoticeSink.Post post = taken.get(0);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(NOTIFY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(post.headers().get("X-Garden-Signature-256"))
        .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body())));
    JsonNode body = json(post.text());
    assertThat(body.path("notice").asText()).isEqualTo("pipeline-failed");
    assertThat(post.headers().get("X-Garden-Delivery")).isEqualTo(body.path("id").asText());
  }

  private static PipelineFinished finished(String id) {
    return CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class)),
        PipelineFinished.class);
  }

  private static String accepted(String body) throws Exception {
    HttpResponse<String> response = deliver("push", body, sign(SECRET, body), UUID.randomUUID().toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response.body()).path("id").asText();
  }

  private static List<String> statesFor(String sha) {
    return statuses.stream().filter(s -> s[0].endsWith("/" + sha)).map(s -> json(s[1]).path("state").asText())
        .collect(Collectors.toList());
  }

  private static String head() throws Exception {
    Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(git.work().toFile()).start();
    String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return sha;
  }

  private static String pushBody(String after, List<String> modified) throws Exception {
    return pushBody(null, after, modified);
  }

  /** A whole GitHub push delivery (GitHub's documented layout) of {@code after}, by alice, pushed now. */
  private static String pushBody(String before, String after, List<String> modified) {
    return pushBody(before, after, modified, java.time.Instant.now());
  }

  private static String pushBody(String before, String after, List<String> modified, java.time.Instant pushedAt) {
    ObjectNode push = (ObjectNode) json(GithubPayloadShapes.push(git.url(),
        before == null ? "0".repeat(40) : before, after, "-", "alice", pushedAt));
    for (JsonNode commit : List.of(push.path("commits").path(0), push.path("head_commit"))) {
      ArrayNode paths = ((ObjectNode) commit).putArray("modified");
      modified.forEach(paths::add);
    }
    return push.toString();
  }

  private static HttpResponse<String> deliver(String event, String body, String signature, String delivery)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + "/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String sign(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
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

}
