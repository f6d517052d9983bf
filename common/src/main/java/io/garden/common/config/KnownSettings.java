package io.garden.common.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting a component reads from its environment, in one list: a service refuses to start with a
 * {@code GARDEN_*} variable that is not here (a typo would otherwise be silently ignored, and the default used), or
 * without one it needs. The compose file test and {@code .env.example} are checked against this list too.
 */
public final class KnownSettings {

  /** The deployable components (one service each) and the CLI. */
  public enum Component {
    GATEWAY("gateway"), VALIDATE_WORKER("validate-worker"), BUILD_WORKER("build-worker"),
    REGISTRY_WORKER("registry-worker"), CLI("cli");

    private final String id;

    Component(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /**
   * @param name        the variable, or a pattern with {@code {STAGE}} standing for DEV, STAGE or PROD
   * @param secret      read through {@link Secrets}: also accepted as {@code NAME_FILE}; never in the compose file
   * @param required    the components that refuse to start without it
   * @param readBy      the components that read it
   */
  public record Setting(String name, boolean secret, Set<Component> required, Set<Component> readBy,
                        String description) {

    boolean matches(String variable) {
      if (!name.contains("{STAGE}")) {
        return name.equals(variable) || secret && (name + "_FILE").equals(variable);
      }
      String regex = Pattern.quote(name).replace("{STAGE}", "\\E(DEV|STAGE|PROD)\\Q");
      return variable.matches(regex);
    }

    public boolean readBy(Component component) {
      return readBy.contains(component);
    }
  }

  private static Set<Component> withCli(Set<Component> components) {
    Set<Component> all = EnumSet.copyOf(components);
    all.add(Component.CLI);
    return all;
  }

  private static final Set<Component> SERVICES = EnumSet.of(Component.GATEWAY, Component.VALIDATE_WORKER,
      Component.BUILD_WORKER, Component.REGISTRY_WORKER);
  private static final Set<Component> EVERYONE = EnumSet.allOf(Component.class);
  private static final Set<Component> GATEWAY = EnumSet.of(Component.GATEWAY);
  private static final Set<Component> NONE = EnumSet.noneOf(Component.class);

  public static final List<Setting> ALL = List.of(
      new Setting("KAFKA_BOOTSTRAP_SERVERS", false, SERVICES, EVERYONE,
          "the Kafka cluster (host:port,...); the CLI starts an embedded broker without it"),
      new Setting("GARDEN_HOST", false, NONE, EVERYONE, "this instance's name in client ids and lock owners"
          + " (default: the machine's name)"),
      new Setting("GARDEN_HEALTH_PORT", false, NONE, withCli(SERVICES),
          "port of /health, /ready and /metrics (images: default 8081; garden gateway/worker: a free one; 0 picks"
              + " one)"),
      new Setting("GARDEN_LOG_LEVEL", false, NONE, withCli(SERVICES), "how much a service logs (default INFO)"),
      new Setting("GARDEN_LOG_FORMAT", false, NONE, withCli(SERVICES),
          "text (default) or json: one JSON object per log line, for a log collector"),
      new Setting("GARDEN_TOPIC_REPLICATION", false, NONE, EVERYONE, "copies of each partition (default 1)"),
      new Setting("GARDEN_TOPIC_MIN_INSYNC_REPLICAS", false, NONE, EVERYONE,
          "copies a write needs (default replication - 1, at least 1)"),
      new Setting("GARDEN_EVENTS_RETENTION_DAYS", false, NONE, EVERYONE,
          "how long garden.events, the audit log, is kept (default 365; -1 forever)"),
      new Setting("GARDEN_STORE", false, NONE, EVERYONE, "registry store: a folder or s3://bucket[/prefix]"),
      new Setting("GARDEN_STORE_{STAGE}", false, NONE, EVERYONE, "one stage's registry store"),
      new Setting("GARDEN_ARTIFACT_STORE", false, NONE, EVERYONE,
          "where pipelines keep their artifacts (default: GARDEN_STORE)"),
      new Setting("GARDEN_S3_ENDPOINT", false, NONE, EVERYONE, "an S3-compatible server (MinIO) instead of AWS"),
      new Setting("GARDEN_S3_ENDPOINT_{STAGE}", false, NONE, EVERYONE, "one stage's S3 endpoint"),
      new Setting("GARDEN_S3_REGION", false, NONE, EVERYONE, "the S3 region (default us-east-1)"),
      new Setting("GARDEN_S3_REGION_{STAGE}", false, NONE, EVERYONE, "one stage's S3 region"),
      new Setting("GARDEN_S3_PATH_STYLE", false, NONE, EVERYONE, "true for path-style S3 addresses (MinIO)"),
      new Setting("GARDEN_S3_PATH_STYLE_{STAGE}", false, NONE, EVERYONE, "one stage's S3 address style"),
      new Setting("AWS_PROFILE", false, NONE, EVERYONE, "the AWS profile for S3 stores"),
      new Setting("AWS_PROFILE_{STAGE}", false, NONE, EVERYONE, "one stage's AWS profile"),
      new Setting("AWS_ACCESS_KEY_ID", true, NONE, EVERYONE, "S3 credentials (AWS SDK default chain)"),
      new Setting("AWS_SECRET_ACCESS_KEY", true, NONE, EVERYONE, "S3 credentials (AWS SDK default chain)"),
      new Setting("GARDEN_BACKUP_KEEP", false, NONE, EVERYONE, "index backups kept per stage (default 50)"),
      new Setting("GARDEN_SOURCE_CACHE", false, NONE, EVERYONE,
          "where git sources are checked out (default ~/.cache/garden/sources)"),
      new Setting("DOCKER_HOST", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.GATEWAY, Component.CLI),
          "the container engine (default unix:///var/run/docker.sock)"),
      new Setting("GARDEN_IMAGE_REGISTRY", false, NONE, EVERYONE, "where images are pushed (default Docker Hub)"),
      new Setting("GARDEN_PLATFORMS", false, NONE, EVERYONE,
          "platforms a push builds, one image index per tag (default linux/amd64,linux/arm64; the old PLATFORMS is"
              + " honoured when this is unset)"),
      new Setting("PLATFORMS", false, NONE, EVERYONE, "the old toolchain's name for GARDEN_PLATFORMS"),
      new Setting("GARDEN_TEST_NETWORK", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "network of an extension's own test suite: none (default) or host"),
      new Setting("GARDEN_TEST_MEMORY_MB", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "memory of an extension's test container (default 1024)"),
      new Setting("GARDEN_TEST_CPUS", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "CPUs of an extension's test container (default 2)"),
      new Setting("GARDEN_TEST_TIMEOUT_SECONDS", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "time an extension's own test suite may run (default 600)"),
      new Setting("GARDEN_TEST_IMAGE_PYTHON", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "toolchain image for pytest suites (default python:3.12-slim)"),
      new Setting("GARDEN_TEST_IMAGE_NODE", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "toolchain image for npm test suites (default node:22-slim)"),
      new Setting("GARDEN_TEST_IMAGE_GO", false, NONE, EnumSet.of(Component.BUILD_WORKER, Component.CLI),
          "toolchain image for go test suites (default golang:1.23)"),
      new Setting("GARDEN_PORT", false, NONE, GATEWAY, "the gateway's API port (default 8080)"),
      new Setting("GARDEN_API_TOKEN", true, NONE, EnumSet.of(Component.GATEWAY, Component.CLI),
          "the bearer token API clients send; on the gateway, one shared admin credential (prefer"
              + " GARDEN_API_TOKENS_FILE)"),
      new Setting("GARDEN_API_TOKENS_FILE", false, NONE, EnumSet.of(Component.GATEWAY, Component.CLI),
          "named API credentials with roles (garden token create); the gateway needs it or GARDEN_API_TOKEN"),
      new Setting("GARDEN_BIND", false, NONE, GATEWAY,
          "the address the API listens on (default 0.0.0.0; garden up: 127.0.0.1)"),
      new Setting("GARDEN_HTTP_IDLE_SECONDS", false, NONE, GATEWAY,
          "a connection that sends nothing for this long is closed (default 30)"),
      new Setting("GARDEN_HTTP_BODY_SECONDS", false, NONE, GATEWAY,
          "a request body must arrive whole within this time (default 20)"),
      new Setting("GARDEN_MAX_CONNECTIONS", false, NONE, GATEWAY,
          "open connections at most; a request on one beyond is answered 503, never run (default 1000)"),
      new Setting("GARDEN_RESERVED_CONNECTIONS", false, NONE, GATEWAY,
          "of those, kept for callers with a credential: connections without one never take them (default a tenth)"),
      new Setting("GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL", false, NONE, GATEWAY,
          "connections one credential may hold; beyond, 429 (default 64)"),
      new Setting("GARDEN_BODY_BUDGET_BYTES", false, NONE, GATEWAY,
          "bytes of authenticated request bodies held at once, over all connections; beyond, 503 (default 64 MiB)"),
      new Setting("GARDEN_BODY_BYTES_PER_CREDENTIAL", false, NONE, GATEWAY,
          "of those, held for one credential; beyond, 429 (default 4 MiB)"),
      new Setting("GARDEN_MAX_PIPELINES_PER_PRINCIPAL", false, NONE, GATEWAY,
          "pipelines one principal (credential, webhook sender, chat user) may have queued or running (default 16)"),
      new Setting("GARDEN_UNVERIFIED_BODY_BYTES", false, NONE, GATEWAY,
          "bytes of not-yet-authenticated request bodies held at once, over all connections (default 32 MiB)"),
      new Setting("GARDEN_MAX_STREAMS", false, NONE, GATEWAY, "event streams (SSE) served at once (default 512)"),
      new Setting("GARDEN_MAX_CATCHUP_STREAMS", false, NONE, GATEWAY,
          "of those, streams reading history, each with its own Kafka reader (default 32)"),
      new Setting("GARDEN_MAX_STREAMS_PER_CREDENTIAL", false, NONE, GATEWAY,
          "event streams one credential may hold; beyond, 429 (default 16)"),
      new Setting("GARDEN_MAX_CATCHUP_STREAMS_PER_CREDENTIAL", false, NONE, GATEWAY,
          "of those, reading history (default 4)"),
      new Setting("GARDEN_RESTORE_POINT_SECONDS", false, NONE, GATEWAY,
          "how often the coordinator and the API move their restore point on the audit stream (default 10)"),
      new Setting("GARDEN_RECENT_PIPELINES", false, NONE, GATEWAY,
          "finished pipelines the API keeps in memory; older ones are read from the archive by id (default 2000)"),
      new Setting("GARDEN_STREAM_STALL_SECONDS", false, NONE, GATEWAY,
          "a history-reading stream whose client reads nothing this long is ended, with its resume id (default 60)"),
      new Setting("GARDEN_ALLOWED_PATHS", false, NONE, GATEWAY, "folders pipelines may read (comma-separated)"),
      new Setting("GARDEN_ALLOWED_REPOS", false, NONE, GATEWAY,
          "git repositories pipelines may clone (comma-separated prefixes)"),
      new Setting("GARDEN_MAX_PARALLEL", false, NONE, GATEWAY, "units of one step running at once per pipeline (default 4)"),
      new Setting("GARDEN_MAX_BODY_BYTES", false, NONE, GATEWAY, "largest request body (default 1 MiB)"),
      new Setting("GARDEN_BUILD_WORKER_WAIT_SECONDS", false, NONE, GATEWAY,
          "how long a pipeline with build, test or push waits for a build worker before it fails (default 30)"),
      new Setting("GARDEN_DEDUP_WINDOW_MINUTES", false, NONE, GATEWAY,
          "how long a webhook delivery is remembered"),
      new Setting("GARDEN_SUPERSEDE", false, NONE, GATEWAY, "false keeps older pipelines of a ref running"),
      new Setting("GARDEN_TRUST_FORKS", false, NONE, GATEWAY, "repositories whose fork PRs may build images"),
      new Setting("GARDEN_PLAN_STAGES", false, NONE, GATEWAY,
          "stages a pull request's publish is rehearsed on, its plan commented (default dev; empty: none)"),
      new Setting("GARDEN_BOT_IDENTITY", false, NONE, GATEWAY, "the pipeline's own git identity (loop guard)"),
      new Setting("GARDEN_GITHUB_WEBHOOK_SECRET", true, NONE, GATEWAY, "verifies GitHub webhooks"),
      new Setting("GARDEN_GITLAB_WEBHOOK_TOKEN", true, NONE, GATEWAY, "verifies GitLab webhooks"),
      new Setting("GARDEN_SLACK_SIGNING_SECRET", true, NONE, GATEWAY, "verifies Slack commands"),
      new Setting("GARDEN_GITHUB_TOKEN", true, NONE, GATEWAY, "posts commit statuses to GitHub"),
      new Setting("GARDEN_GITLAB_TOKEN", true, NONE, GATEWAY, "posts commit statuses to GitLab"),
      new Setting("GARDEN_NOTIFY_SLACK_URL", true, NONE, GATEWAY,
          "a Slack incoming webhook told of failed webhook pipelines and publishes"),
      new Setting("GARDEN_NOTIFY_WEBHOOK_URL", false, NONE, GATEWAY,
          "a URL told of failed webhook pipelines and publishes (JSON, signed)"),
      new Setting("GARDEN_NOTIFY_WEBHOOK_SECRET", true, NONE, GATEWAY,
          "signs GARDEN_NOTIFY_WEBHOOK_URL's notices (X-Garden-Signature-256)"),
      new Setting("GARDEN_NOTIFY_STAGES", false, NONE, GATEWAY,
          "stages whose publishes are announced (default stage,prod)"),
      new Setting("GARDEN_PUBLIC_URL", false, NONE, GATEWAY, "the gateway as people reach it (links in notices)"),
      new Setting("GARDEN_GITHUB_API_URL", false, NONE, GATEWAY, "GitHub's REST API (default api.github.com)"),
      new Setting("GARDEN_GITLAB_API_URL", false, NONE, GATEWAY, "GitLab's REST API"),
      new Setting("GARDEN_SLACK_RESPONSE_URL_PREFIX", false, NONE, GATEWAY,
          "where chat replies may be posted (default https://hooks.slack.com/)"),
      new Setting("GARDEN_CHATOPS_REPO", false, NONE, GATEWAY, "the repository chat-ops publishes from"),
      new Setting("GARDEN_PUBLISHERS_{STAGE}", false, NONE, GATEWAY, "who may publish to a stage"),
      new Setting("GARDEN_UNLOCKERS", false, NONE, GATEWAY, "who may remove publish locks"),
      new Setting("GARDEN_APPROVERS_{STAGE}", false, NONE, GATEWAY,
          "chat users who may approve a protected write to a stage (Slack buttons)"),
      new Setting("GARDEN_PROTECTED_STAGES", false, NONE, GATEWAY,
          "stages whose writes wait for approval, and by how many (e.g. prod:1,stage:0)"),
      new Setting("GARDEN_APPROVAL_HOURS", false, NONE, GATEWAY,
          "how long a write waits for approval before it is rejected (default 24)"),
      new Setting("GARDEN_URL", false, NONE, EnumSet.of(Component.CLI), "a gateway for the CLI's remote mode"),
      new Setting("GARDEN_DEBUG", false, NONE, EnumSet.of(Component.CLI), "1 prints stack traces"),
      new Setting("GARDEN_KAFKA_CLASSPATH", false, NONE, EnumSet.of(Component.CLI),
          "the Kafka jars of the embedded broker"),
      new Setting("GARDEN_LAUNCHER", false, NONE, EnumSet.of(Component.CLI), "set by the ./garden launcher"),
      // Read by scripts, not by Java; listed so that a shell that exports them can still start a service.
      new Setting("GARDEN_JAVA_OPTS", false, NONE, EnumSet.of(Component.CLI), "JVM options ./garden passes on"),
      new Setting("GARDEN_DAEMON", false, NONE, EnumSet.of(Component.CLI),
          "0: every command in a JVM of its own; 1: the warm server even on CI (default: on, off when CI=true)"),
      new Setting("GARDEN_DAEMON_DIR", false, NONE, EnumSet.of(Component.CLI),
          "the warm server's state folder (default: $XDG_RUNTIME_DIR/garden, else ~/.cache/garden; with neither"
              + " set, commands run cold)"),
      new Setting("GARDEN_WARM_STATE", false, NONE, EnumSet.of(Component.CLI),
          "set by the launchers: this version's warm-server state file (garden daemon)"),
      new Setting("GARDEN_DAEMON_IDLE_MINUTES", false, NONE, EnumSet.of(Component.CLI),
          "minutes without a command after which the warm server stops (default: 60)"),
      new Setting("GARDEN_ENGINE_SOCKET", false, NONE, EnumSet.of(Component.CLI),
          "scripts/container-engine.sh: the engine's socket"),
      new Setting("GARDEN_REGISTRY_ADDR", false, NONE, EnumSet.of(Component.CLI),
          "scripts/container-engine.sh: the loopback registry's address"),
      new Setting("GARDEN_ENGINE_STATE", false, NONE, EnumSet.of(Component.CLI),
          "scripts/container-engine.sh: its logs and data"));

  private KnownSettings() {
  }

  public static Optional<Setting> find(String variable) {
    return ALL.stream().filter(s -> s.matches(variable)).findFirst();
  }

  /**
   * What is wrong with {@code env} for {@code component}, one line per problem naming the variable; empty when it
   * may start.
   */
  public static List<String> problems(Map<String, String> env, Component component) {
    List<String> problems = new ArrayList<>();
    env.keySet().stream().filter(name -> name.startsWith("GARDEN_")).sorted().forEach(name -> {
      if (find(name).isEmpty()) {
        problems.add(name + " is not a setting garden knows" + nearest(name).map(n -> " (did you mean " + n + "?)")
            .orElse("") + "; remove it, or see docs/OPERATIONS.md for the settings");
      }
    });
    for (Setting setting : ALL) {
      if (setting.required().contains(component) && !isSet(env, setting)) {
        problems.add(setting.name() + (setting.secret() ? " (or " + setting.name() + "_FILE)" : "")
            + " is required by " + component.id() + ": " + setting.description());
      }
    }
    if (component == Component.GATEWAY && !isSet(env, find("GARDEN_API_TOKENS_FILE").orElseThrow())
        && !isSet(env, find("GARDEN_API_TOKEN").orElseThrow())) {
      problems.add("GARDEN_API_TOKENS_FILE (named credentials, made with garden token create) or GARDEN_API_TOKEN"
          + " (or GARDEN_API_TOKEN_FILE; one shared admin credential) is required by gateway: nobody could call"
          + " the API");
    }
    return problems;
  }

  private static boolean isSet(Map<String, String> env, Setting setting) {
    return notBlank(env.get(setting.name())) || setting.secret() && notBlank(env.get(setting.name() + "_FILE"));
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static Optional<String> nearest(String name) {
    return ALL.stream().map(Setting::name)
        .map(known -> known.replace("{STAGE}", stageOf(name)))
        .filter(known -> distance(known, name) <= 2)
        .min(Comparator.comparingInt(known -> distance(known, name)));
  }

  private static String stageOf(String name) {
    for (String stage : List.of("DEV", "STAGE", "PROD")) {
      if (name.toUpperCase(Locale.ROOT).endsWith("_" + stage)) {
        return stage;
      }
    }
    return "PROD";
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
