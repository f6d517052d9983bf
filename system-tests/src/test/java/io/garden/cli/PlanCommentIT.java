package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.source.GitFixture;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.hooks.GithubPayloadShapes;
import io.garden.gateway.hooks.PlanComment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plan on the pull request, against a stand-in GitHub on loopback that records what it is sent, driven by GitHub's
 * own pull_request payloads: one comment, created on the first push and edited on the second (never two), whose table
 * is the CLI's dry run; a check run with the findings at their files and lines; and, when the token may not write
 * checks (403), the commit statuses as before.
 */
@ExtendWith(KafkaBroker.class)
class PlanCommentIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final String SECRET = "it-plan-secret";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern CLI_ROW = Pattern.compile("^\\s+(\\S+\\.json)\\s+(\\S+)\\s+(\\S+)\\s+\\S+\\s+([A-Z]+)",
      Pattern.MULTILINE);
  private static final Pattern COMMENT_ROW = Pattern.compile("^\\| ([A-Z*]+) \\| (\\S+\\.json) \\| (\\S+) \\| (\\S+) \\|",
      Pattern.MULTILINE);

  @TempDir
  Path temp;

  /** What the stand-in GitHub was sent, and what it keeps: the request's comments. */
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<Long, String> comments = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<JsonNode> checkRuns = new CopyOnWriteArrayList<>();
  private final List<String> statuses = new CopyOnWriteArrayList<>();
  private final AtomicInteger checksAnswer = new AtomicInteger(201);
  private final java.util.concurrent.atomic.AtomicReference<JsonNode> pull = new java.util.concurrent.atomic
      .AtomicReference<>();

  @Test
  @DisplayName("one plan comment, created then edited on the next push, its table the CLI's dry run; a check run"
      + " with the findings at their lines; statuses when checks are refused")
  void thePlanIsCommentedOnThePullRequest() throws Exception {
    HttpServer github = forge();
    GitFixture git = GitFixture.create(temp.resolve("git/work"), temp.resolve("git/extensions.git"));
    ExamplesRepo.copyTo(git.work());
    String base = git.commitAll("import the examples");
    Path manifest = git.work().resolve("tools/tool-websearch/kamiwaza.json");
    String original = Files.readString(manifest);
    // A warning with a line: an unknown template variable in env_defaults.
    git.write("tools/tool-websearch/kamiwaza.json", original.replace("\"/mcp\"", "\"/mcp/{nonsense}\""));
    String first = git.commitAllOnBranch("feature", "a placeholder nobody knows");
    git.write("tools/tool-websearch/kamiwaza.json", original.replace("\"/mcp\"", "\"/mcp/{nonsense}\""));
    CliRun bumped = CliRun.of("bump", "tool", "tool-websearch", "--repo=" + git.work());
    assertThat(bumped.exitCode()).as(bumped.out() + bumped.err()).isZero();
    String second = git.commitAllOnBranch("feature-2", "and a new version");

    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-plan");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("GARDEN_ALLOWED_REPOS", git.url());
    env.put("GARDEN_GITHUB_WEBHOOK_SECRET", SECRET);
    env.put("GARDEN_GITHUB_TOKEN", "it-github-token");
    env.put("GARDEN_GITHUB_API_URL", "http://127.0.0.1:" + github.getAddress().getPort());
    env.put("GARDEN_PLAN_STAGES", "dev,prod");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0))) {
      String url = running.node().url();
      String one = deliver(url, GithubPayloadShapes.pullRequest(git.url(), base, first, "opened"));
      finished(running, one);
      await().atMost(Duration.ofSeconds(60)).until(() -> !checkRuns.isEmpty() && comments.size() == 1);
      String comment = comments.values().iterator().next();
      assertThat(comment).startsWith(PlanComment.MARKER).contains("`" + first.substring(0, 12) + "`")
          .contains("#### Publish to dev").contains("#### Publish to prod")
          .contains("| INSERT | tools.json | tool-websearch | 0.6.1 |")
          .contains("`tools/tool-websearch/kamiwaza.json:19");
      JsonNode check = checkRuns.get(0);
      assertThat(check.path("head_sha").asText()).isEqualTo(first);
      assertThat(check.path("name").asText()).isEqualTo("garden/plan");
      assertThat(check.path("output").path("annotations")).anySatisfy(a -> {
        assertThat(a.path("path").asText()).isEqualTo("tools/tool-websearch/kamiwaza.json");
        assertThat(a.path("start_line").asInt()).isEqualTo(19);
        assertThat(a.path("annotation_level").asText()).isEqualTo("warning");
      });

      checksAnswer.set(403);
      String two = deliver(url, GithubPayloadShapes.pullRequest(git.url(), base, second, "synchronize"));
      finished(running, two);
      await().atMost(Duration.ofSeconds(60)).until(() -> comments.values().iterator().next()
          .contains(second.substring(0, 12)));
      assertThat(comments).as("one comment, edited").hasSize(1);
      assertThat(calls.stream().filter(c -> c.startsWith("POST /repos/garden/extensions/issues/7/comments")))
          .hasSize(1);
      assertThat(calls).contains("PATCH /repos/garden/extensions/issues/comments/1");
      await().atMost(Duration.ofSeconds(30)).until(() -> statuses.stream().anyMatch(s -> s.contains(second)
          && !s.contains("pending")));

      // "/garden plan" by a collaborator plans the request's head again (as GitHub's API says it is); by anyone
      // else, nothing.
      pull.set(CODEC.mapper().readTree(GithubPayloadShapes.pullRequest(git.url(), base, second, "synchronize"))
          .path("pull_request"));
      assertThat(comment(url, "NONE")).contains("may not ask for a plan");
      String again = CODEC.mapper().readTree(comment(url, "COLLABORATOR")).path("id").asText();
      assertThat(again).isNotIn(one, two);
      finished(running, again);
      await().atMost(Duration.ofSeconds(60)).until(() -> calls.stream()
          .filter(c -> c.equals("PATCH /repos/garden/extensions/issues/comments/1")).count() == 2);
      assertThat(comments).hasSize(1);
      assertThat(comments.get(1L)).contains("Run `" + again + "`");

      // The table is what the CLI's dry run of that commit says.
      Path checkout = temp.resolve("checkout");
      run(List.of("git", "clone", "--quiet", git.url(), checkout.toString()));
      run(List.of("git", "-C", checkout.toString(), "checkout", "--quiet", second));
      Map<String, String> local = new HashMap<>(env);
      local.put("GARDEN_STORE", temp.resolve("store").toString());
      CliRun dryRun = CliRun.of(local, "publish-registry", "--stage", "dev", "--dry-run", "--repo=" + checkout);
      assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
      assertThat(rows(COMMENT_ROW, comments.values().iterator().next())).isEqualTo(rows(CLI_ROW, dryRun.out()))
          .contains("INSERT tools.json tool-websearch 0.6.2");
    } finally {
      github.stop(0);
    }
  }

  @Test
  @DisplayName("a GitLab merge request gets one note with the plan, created on open and edited on the next push")
  void thePlanIsANoteOnTheMergeRequest() throws Exception {
    HttpServer gitlab = forge();
    GitFixture git = GitFixture.create(temp.resolve("git/work"), temp.resolve("git/extensions.git"));
    ExamplesRepo.copyTo(git.work());
    git.commitAll("import the examples");
    CliRun bumped = CliRun.of("bump", "tool", "tool-websearch", "--repo=" + git.work());
    assertThat(bumped.exitCode()).as(bumped.out() + bumped.err()).isZero();
    String first = git.commitAllOnBranch("feature", "a new version");
    git.write("NOTES.md", "more");
    String second = git.commitAllOnBranch("feature-2", "notes");

    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-plan-gitlab");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("GARDEN_ALLOWED_REPOS", git.url());
    env.put("GARDEN_GITLAB_WEBHOOK_TOKEN", SECRET);
    env.put("GARDEN_GITLAB_TOKEN", "it-gitlab-token");
    env.put("GARDEN_GITLAB_API_URL", "http://127.0.0.1:" + gitlab.getAddress().getPort() + "/gitlab");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0))) {
      String url = running.node().url();
      finished(running, mergeRequest(url, git.url(), "open", first));
      await().atMost(Duration.ofSeconds(60)).until(() -> comments.size() == 1);
      assertThat(comments.get(1L)).startsWith(PlanComment.MARKER).contains("`" + first.substring(0, 12) + "`")
          .contains("| INSERT | tools.json | tool-websearch | 0.6.2 |");
      finished(running, mergeRequest(url, git.url(), "update", second));
      await().atMost(Duration.ofSeconds(60)).until(() -> comments.get(1L).contains(second.substring(0, 12)));
      assertThat(comments).hasSize(1);
      assertThat(calls).contains("PUT /gitlab/projects/42/merge_requests/3/notes/1");
      assertThat(calls.stream().filter(c -> c.equals("POST /gitlab/projects/42/merge_requests/3/notes"))).hasSize(1);
      assertThat(calls).noneMatch(c -> c.contains("check-runs"));
    } finally {
      gitlab.stop(0);
    }
  }

  private static String mergeRequest(String url, String cloneUrl, String action, String sha) throws Exception {
    String body = "{\"object_kind\":\"merge_request\",\"user\":{\"username\":\"ann\"},\"object_attributes\":"
        + "{\"action\":\"" + action + "\",\"iid\":3,\"source_project_id\":42,\"target_project_id\":42,"
        + "\"target\":{\"git_http_url\":\"" + cloneUrl + "\"},\"last_commit\":{\"id\":\"" + sha + "\"},"
        + "\"updated_at\":\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + "\"}}";
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/webhooks/gitlab"))
        .header("X-Gitlab-Event", "Merge Request Hook").header("X-Gitlab-Token", SECRET)
        .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return CODEC.mapper().readTree(response.body()).path("id").asText();
  }

  /** {@code ACTION file name version} per row. */
  private static Set<String> rows(Pattern row, String text) {
    Set<String> rows = new TreeSet<>();
    Matcher m = row.matcher(text);
    while (m.find()) {
      if (row == CLI_ROW) {
        rows.add(m.group(4) + " " + m.group(1) + " " + m.group(2) + " " + m.group(3));
      } else {
        rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
      }
    }
    return rows;
  }

  private HttpServer forge() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      calls.add(method + " " + path);
      if ((path.endsWith("/issues/7/comments") || path.endsWith("/merge_requests/3/notes"))
          && method.equals("GET")) {
        ArrayNode list = CODEC.mapper().createArrayNode();
        comments.forEach((id, text) -> list.addObject().put("id", id).put("body", text));
        answer(exchange, 200, list.toString());
      } else if ((path.endsWith("/issues/7/comments") || path.endsWith("/merge_requests/3/notes"))
          && method.equals("POST")) {
        long id = comments.size() + 1;
        comments.put(id, CODEC.mapper().readTree(body).path("body").asText());
        answer(exchange, 201, "{\"id\":" + id + "}");
      } else if (path.startsWith("/repos/garden/extensions/issues/comments/") && method.equals("PATCH")
          || path.startsWith("/gitlab/projects/42/merge_requests/3/notes/") && method.equals("PUT")) {
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        comments.put(id, CODEC.mapper().readTree(body).path("body").asText());
        answer(exchange, 200, "{\"id\":" + id + "}");
      } else if (path.endsWith("/check-runs")) {
        if (checksAnswer.get() == 201) {
          checkRuns.add(CODEC.mapper().readTree(body));
        }
        answer(exchange, checksAnswer.get(), checksAnswer.get() == 201 ? "{\"id\":1}"
            : "{\"message\":\"Resource not accessible by integration\"}");
      } else if (path.equals("/repos/garden/extensions/pulls/7") && pull.get() != null) {
        answer(exchange, 200, pull.get().toString());
      } else if (path.contains("/statuses/")) {
        statuses.add(path + " " + body);
        answer(exchange, 201, "{}");
      } else {
        answer(exchange, 404, "{\"message\":\"Not Found\"}");
      }
    });
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String deliver(String url, String body) throws Exception {
    HttpResponse<String> response = send(url, "pull_request", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return CODEC.mapper().readTree(response.body()).path("id").asText();
  }

  /** An issue_comment delivery: "/garden plan" on pull request 7, by someone with {@code association}. */
  private static String comment(String url, String association) throws Exception {
    String body = "{\"action\":\"created\",\"issue\":{\"number\":7,\"pull_request\":{\"url\":"
        + "\"https://api.github.com/repos/garden/extensions/pulls/7\"}},\"comment\":{\"body\":\"/garden plan\\r\\n"
        + "please\",\"author_association\":\"" + association + "\",\"user\":{\"login\":\"ann\"}},"
        + "\"repository\":{\"full_name\":\"garden/extensions\"},\"sender\":{\"login\":\"ann\"}}";
    HttpResponse<String> response = send(url, "issue_comment", body);
    assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
    return response.body();
  }

  private static HttpResponse<String> send(String url, String event, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/webhooks/github"))
        .header("X-GitHub-Event", event).header("X-GitHub-Delivery", UUID.randomUUID().toString())
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(
            StandardCharsets.UTF_8))))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static PipelineFinished finished(NodeUnderTest running, String id) {
    return CODEC.payload(running.events().awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class), Duration.ofSeconds(120)), PipelineFinished.class);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }
}
