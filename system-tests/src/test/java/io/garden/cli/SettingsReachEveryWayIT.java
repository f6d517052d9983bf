package io.garden.cli;

import io.garden.build.BuildService;
import io.garden.build.RequiresEngine;
import io.garden.common.config.GardenConfig;
import io.garden.common.config.KnownSettings;
import io.garden.common.config.KnownSettings.Component;
import io.garden.common.config.ObservedEnvironment;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.service.RunningService;
import io.garden.common.service.ServiceMain;
import io.garden.gateway.GatewayService;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.garden.registry.RegistryService;
import io.garden.validate.ValidateService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every setting the operator documentation names reaches the component that reads it, on every way of running it:
 * the service images' {@code Main}, {@code garden gateway}, {@code garden worker validate|build|registry},
 * {@code garden up} and the node {@code garden ci-pipeline} starts in-process. Each way is started with every
 * setting set (the table below) in an {@link ObservedEnvironment}; afterwards, each setting its components read must
 * have been asked for from that environment. A way that hands its workers another map (a node once gave them an empty
 * one, and every {@code GARDEN_TEST_*} was silently ignored in pipelines) fails here, naming the settings.
 */
@ExtendWith({KafkaBroker.class, RequiresEngine.class})
class SettingsReachEveryWayIT {

  @TempDir
  static Path temp;

  private static Path repo;

  /**
   * Settings no component reads from garden's environment map, and why: they are still documented, so they are in
   * the table, but their proof is elsewhere.
   */
  private static final Map<String, String> NOT_READ_BY_GARDEN = Map.of(
      "AWS_ACCESS_KEY_ID", "read by the AWS SDK's default credential chain from the process environment",
      "AWS_SECRET_ACCESS_KEY", "read by the AWS SDK's default credential chain from the process environment",
      "GARDEN_JAVA_OPTS", "read by the ./garden launcher script",
      "GARDEN_ENGINE_SOCKET", "read by scripts/container-engine.sh",
      "GARDEN_REGISTRY_ADDR", "read by scripts/container-engine.sh",
      "GARDEN_ENGINE_STATE", "read by scripts/container-engine.sh");

  @BeforeAll
  static void repository() throws IOException {
    repo = Files.createDirectories(temp.resolve("extensions"));
    for (String type : List.of("apps", "services", "tools")) {
      Files.createDirectories(repo.resolve(type));
    }
  }

  /** One valid value for every documented setting; patterns set for DEV only, so the general ones are read too. */
  private static Map<String, String> everySetting() throws IOException {
    Path tokens = temp.resolve("tokens.json");
    if (!Files.exists(tokens)) {
      new CredentialFile(tokens, java.time.Clock.systemUTC()).create("settings-it", EnumSet.of(Role.RUN));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("GARDEN_HOST", "settings-it");
    env.put("GARDEN_HEALTH_PORT", "0");
    env.put("GARDEN_LOG_LEVEL", "INFO");
    env.put("GARDEN_LOG_FORMAT", "text");
    env.put("GARDEN_TOPIC_REPLICATION", "1");
    env.put("GARDEN_TOPIC_MIN_INSYNC_REPLICAS", "1");
    env.put("GARDEN_EVENTS_RETENTION_DAYS", "365");
    env.put("GARDEN_STORE", temp.resolve("store").toString());
    env.put("GARDEN_STORE_DEV", temp.resolve("store-dev").toString());
    env.put("GARDEN_ARTIFACT_STORE", temp.resolve("artifacts").toString());
    env.put("GARDEN_S3_ENDPOINT", "http://127.0.0.1:9");
    env.put("GARDEN_S3_ENDPOINT_DEV", "http://127.0.0.1:9");
    env.put("GARDEN_S3_REGION", "us-east-1");
    env.put("GARDEN_S3_REGION_DEV", "us-east-1");
    env.put("GARDEN_S3_PATH_STYLE", "true");
    env.put("GARDEN_S3_PATH_STYLE_DEV", "true");
    env.put("AWS_PROFILE", "garden-it");
    env.put("AWS_PROFILE_DEV", "garden-it");
    env.put("GARDEN_BACKUP_KEEP", "7");
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    env.put("DOCKER_HOST", RequiresEngine.dockerHost());
    env.put("GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry());
    env.put("GARDEN_PLATFORMS", "linux/amd64,linux/arm64");
    env.put("GARDEN_TEST_NETWORK", "none");
    env.put("GARDEN_TEST_MEMORY_MB", "512");
    env.put("GARDEN_TEST_CPUS", "1");
    env.put("GARDEN_TEST_TIMEOUT_SECONDS", "120");
    env.put("GARDEN_TEST_IMAGE_PYTHON", "localhost/garden-pytest:bookworm");
    env.put("GARDEN_TEST_IMAGE_NODE", "localhost/node:it");
    env.put("GARDEN_TEST_IMAGE_GO", "localhost/go:it");
    env.put("GARDEN_PORT", "0");
    env.put("GARDEN_API_TOKEN", "settings-it-token");
    env.put("GARDEN_API_TOKENS_FILE", tokens.toString());
    env.put("GARDEN_BIND", "127.0.0.1");
    env.put("GARDEN_HTTP_IDLE_SECONDS", "30");
    env.put("GARDEN_HTTP_BODY_SECONDS", "20");
    env.put("GARDEN_MAX_CONNECTIONS", "100");
    env.put("GARDEN_RESERVED_CONNECTIONS", "10");
    env.put("GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL", "20");
    env.put("GARDEN_BODY_BUDGET_BYTES", "8388608");
    env.put("GARDEN_BODY_BYTES_PER_CREDENTIAL", "1048576");
    env.put("GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "8");
    env.put("GARDEN_UNVERIFIED_BODY_BYTES", "4194304");
    env.put("GARDEN_MAX_STREAMS", "64");
    env.put("GARDEN_MAX_CATCHUP_STREAMS", "8");
    env.put("GARDEN_MAX_STREAMS_PER_CREDENTIAL", "8");
    env.put("GARDEN_MAX_CATCHUP_STREAMS_PER_CREDENTIAL", "2");
    env.put("GARDEN_RESTORE_POINT_SECONDS", "10");
    env.put("GARDEN_RECENT_PIPELINES", "100");
    env.put("GARDEN_STREAM_STALL_SECONDS", "60");
    env.put("GARDEN_ALLOWED_PATHS", repo.toString());
    env.put("GARDEN_ALLOWED_REPOS", "https://github.com/acme/extensions");
    env.put("GARDEN_MAX_PARALLEL", "2");
    env.put("GARDEN_MAX_BODY_BYTES", "1048576");
    env.put("GARDEN_BUILD_WORKER_WAIT_SECONDS", "30");
    env.put("GARDEN_DEDUP_WINDOW_MINUTES", "10");
    env.put("GARDEN_SUPERSEDE", "true");
    env.put("GARDEN_TRUST_FORKS", "acme/extensions");
    env.put("GARDEN_BOT_IDENTITY", "garden-bot");
    env.put("GARDEN_GITHUB_WEBHOOK_SECRET", "it-github-secret");
    env.put("GARDEN_GITLAB_WEBHOOK_TOKEN", "it-gitlab-token");
    env.put("GARDEN_SLACK_SIGNING_SECRET", "it-slack-secret");
    env.put("GARDEN_GITHUB_TOKEN", "it-github-token");
    env.put("GARDEN_GITLAB_TOKEN", "it-gitlab-token");
    env.put("GARDEN_GITHUB_API_URL", "http://127.0.0.1:9");
    env.put("GARDEN_GITLAB_API_URL", "http://127.0.0.1:9");
    env.put("GARDEN_SLACK_RESPONSE_URL_PREFIX", "https://hooks.slack.com/");
    env.put("GARDEN_CHATOPS_REPO", repo.toString());
    env.put("GARDEN_PUBLISHERS_DEV", "slack:U1");
    env.put("GARDEN_UNLOCKERS", "slack:U1");
    env.put("GARDEN_PROTECTED_STAGES", "stage:0");
    env.put("GARDEN_APPROVAL_HOURS", "24");
    env.put("GARDEN_APPROVERS_DEV", "slack:U1");
    env.put("GARDEN_APPROVERS_STAGE", "slack:U1");
    env.put("GARDEN_APPROVERS_PROD", "slack:U1");
    env.put("GARDEN_NOTIFY_SLACK_URL", "http://127.0.0.1:9/slack");
    env.put("GARDEN_NOTIFY_WEBHOOK_URL", "http://127.0.0.1:9/hook");
    env.put("GARDEN_NOTIFY_WEBHOOK_SECRET", "it-notify-secret");
    env.put("GARDEN_NOTIFY_STAGES", "stage,prod");
    env.put("GARDEN_PUBLIC_URL", "http://127.0.0.1:8080");
    env.put("GARDEN_PLAN_STAGES", "dev");
    return env;
  }

  /**
   * What a whole system in one terminal process does not take from the services: it serves no /health, /ready and
   * /metrics of its own and logs as the CLI does (its output is the user's screen).
   */
  private static final Set<String> SERVICE_ONLY = Set.of("GARDEN_HEALTH_PORT", "GARDEN_LOG_LEVEL",
      "GARDEN_LOG_FORMAT");

  /**
   * A way of running: its name, the components it runs, how to start and stop it with an environment, and the
   * settings of those components it does not take, by design.
   */
  record Way(String name, Set<Component> components, Starter starter, Set<String> notTaken) {
    Way(String name, Set<Component> components, Starter starter) {
      this(name, components, starter, Set.of());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  interface Starter {
    void runWith(Map<String, String> env) throws Exception;
  }

  static Stream<Way> ways() {
    return Stream.of(
        new Way("the gateway image's Main", EnumSet.of(Component.GATEWAY),
            env -> service(Component.GATEWAY, env, GatewayService::parts)),
        new Way("the validate-worker image's Main", EnumSet.of(Component.VALIDATE_WORKER),
            env -> service(Component.VALIDATE_WORKER, env, ValidateService::parts)),
        new Way("the build-worker image's Main", EnumSet.of(Component.BUILD_WORKER),
            env -> service(Component.BUILD_WORKER, env, BuildService::parts)),
        new Way("the registry-worker image's Main", EnumSet.of(Component.REGISTRY_WORKER),
            env -> service(Component.REGISTRY_WORKER, env, RegistryService::parts)),
        new Way("garden gateway", EnumSet.of(Component.GATEWAY), env -> foreground(env, "Press Ctrl+C", "gateway",
            "--data-dir", temp.resolve("gateway-data").toString())),
        new Way("garden worker validate", EnumSet.of(Component.VALIDATE_WORKER),
            env -> foreground(env, "Press Ctrl+C", "worker", "validate")),
        new Way("garden worker build", EnumSet.of(Component.BUILD_WORKER),
            env -> foreground(env, "Press Ctrl+C", "worker", "build")),
        new Way("garden worker registry", EnumSet.of(Component.REGISTRY_WORKER),
            env -> foreground(env, "Press Ctrl+C", "worker", "registry")),
        new Way("garden up", EnumSet.of(Component.GATEWAY, Component.VALIDATE_WORKER, Component.BUILD_WORKER,
            Component.REGISTRY_WORKER), env -> ok(cli(env, "up", "--check", "--repo", repo.toString(), "--data-dir",
            temp.resolve("up-data").toString())), SERVICE_ONLY),
        new Way("the node of garden ci-pipeline", EnumSet.of(Component.GATEWAY, Component.VALIDATE_WORKER,
            Component.BUILD_WORKER, Component.REGISTRY_WORKER),
            env -> ok(cli(env, "ci-pipeline", "--steps", "validate", "--repo", repo.toString())), SERVICE_ONLY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  @DisplayName("every documented setting its components read is read from the environment this way was started with")
  void everySettingReachesItsComponents(Way way) throws Exception {
    Map<String, String> env = ObservedEnvironment.of(everySetting());

    way.starter().runWith(env);

    Set<String> asked = ObservedEnvironment.asked(env);
    Set<String> missed = new TreeSet<>();
    for (String name : env.keySet()) {
      KnownSettings.Setting setting = KnownSettings.find(name).orElseThrow();
      boolean read = way.components().stream().anyMatch(setting::readBy);
      if (read && !NOT_READ_BY_GARDEN.containsKey(name) && !way.notTaken().contains(name) && !asked.contains(name)) {
        missed.add(name);
      }
    }
    assertThat(missed).as(way + " never read these settings, though its components are documented to").isEmpty();
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the table holds every setting gateway/README.md, docs/OPERATIONS.md and the module READMEs document")
  void theTableHoldsEveryDocumentedSetting() throws IOException {
    Path root = io.garden.common.ExamplesRepo.root();
    Pattern variable = Pattern.compile("\\b((?:GARDEN|AWS|KAFKA)_[A-Z0-9_]*[A-Z0-9]|DOCKER_HOST)\\b");
    Set<String> documented = new TreeSet<>();
    List<Path> docs = Stream.of("gateway/README.md", "docs/OPERATIONS.md", "common/README.md",
        "validate-worker/README.md", "build-worker/README.md", "registry-worker/README.md", "cli/README.md")
        .map(root::resolve).filter(Files::exists).toList();
    for (Path doc : docs) {
      Matcher m = variable.matcher(Files.readString(doc));
      while (m.find()) {
        documented.add(m.group(1));
      }
    }
    Set<String> table = everySetting().keySet();
    Set<String> notInTable = documented.stream()
        .filter(name -> KnownSettings.find(name).filter(s -> s.readBy().stream()
            .anyMatch(c -> c != Component.CLI)).isPresent())
        .filter(name -> !name.endsWith("_FILE"))
        .filter(name -> table.stream().noneMatch(t -> KnownSettings.find(t).equals(KnownSettings.find(name))))
        .filter(name -> !NOT_READ_BY_GARDEN.containsKey(name))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(docs).hasSizeGreaterThan(3);
    assertThat(notInTable).as("documented settings with no row in everySetting()").isEmpty();
  }

  private static void service(Component component, Map<String, String> env,
                              java.util.function.Function<io.garden.common.service.ServiceContext,
                                  List<io.garden.common.service.ServicePart>> parts) {
    RunningService running = ServiceMain.start(component, env, parts);
    running.close();
  }

  private static CliRun cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(GardenConfig.fromEnv(env), env, new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  /** Runs a command that serves until stopped: waits for {@code ready} in its output, then stops it. */
  private static void foreground(Map<String, String> env, String ready, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread serving = new Thread(() -> code.set(Main.run(GardenConfig.fromEnv(env), env, new PrintWriter(out, true),
        new PrintWriter(err, true), args)), "settings-it-" + args[0]);
    serving.start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> out.toString().contains(ready) || !serving.isAlive());
      assertThat(out.toString()).as(out + "\n" + err).contains(ready);
    } finally {
      serving.interrupt();
      serving.join(Duration.ofSeconds(60).toMillis());
    }
    // Stopped for good: a node left running would take other tests' requests from the shared broker.
    assertThat(serving.isAlive()).as("the command stopped").isFalse();
  }
}
