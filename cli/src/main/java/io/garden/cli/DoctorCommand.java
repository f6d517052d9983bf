package io.garden.cli;

import io.garden.build.PlatformSupport;
import io.garden.common.platform.Platform;
import io.garden.common.config.GardenConfig;
import io.garden.common.config.StoreConfig;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.engine.EngineProbe;
import io.garden.common.kafka.KafkaSettings;
import io.garden.gateway.intake.ApiCredentials;
import io.garden.gateway.intake.CredentialFile;
import io.garden.common.kafka.Topics;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectKeys;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.gateway.Readiness;
import io.garden.registry.publish.StoreSelfTest;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code garden doctor}: is everything this machine's configuration points at there and fit for use? */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {
        "Check that Kafka, the container engine, the image registry and the stores are ready.",
        "",
        "Check what the configuration points at: the Kafka cluster (reachable, every topic, a 1-partition publish",
        "topic), the container engine, the image registry, and that each object store refuses stale conditional",
        "writes (publishing is only safe on one that does). Each failure comes with its fix.",
        "",
        "With GARDEN_URL, the gateway is asked instead (GET /api/v1/doctor): its Kafka, the build, validate and",
        "registry workers present, its image registry and each stage's store; nothing on this machine is checked",
        "but the credential."},
    exitCodeListHeading = "%nExit codes (failing parts add up):%n",
    exitCodeList = {"0:everything answered", "17:+1 Kafka", "18:+2 container engine", "20:+4 image registry",
        "24:+8 object store", "48:+32 gateway (GARDEN_URL)", "80:+64 workers (GARDEN_URL)",
        "e.g. 19:Kafka and the container engine"})
final class DoctorCommand implements java.util.concurrent.Callable<Integer> {

  /** One part of the set-up; its bit is added to 16 in the exit code when it fails. */
  enum Part {
    KAFKA(1), ENGINE(2), IMAGE_REGISTRY(4), STORE(8), GATEWAY(32), WORKERS(64),
    /** Only warns: a push that needs a missing platform refuses by itself, saying the same. */
    PLATFORMS(0),
    /** Only ever warns: a shared credential works, it just cannot say who did what. */
    CREDENTIALS(0);

    final int bit;

    Part(int bit) {
      this.bit = bit;
    }
  }

  /** What one check found: passed, skipped (nothing configured to check), or failed with a fix. */
  record Finding(Part part, String status, String detail, String fix) {
    boolean failed() {
      return status.equals("FAIL");
    }

    boolean hasFix() {
      return fix != null && (failed() || status.equals("WARN"));
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @picocli.CommandLine.Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text (default), or json: {findings: [{part, status, detail, fix}], exitCode}.")
  String format;

  @Override
  public Integer call() {
    OutputFormat.check(format, "text", "json");
    PrintWriter out = parent.spec.commandLine().getOut();
    GardenConfig config = parent.config();
    List<Finding> findings = new ArrayList<>();
    Finding gateway = gateway(parent.env());
    findings.add(gateway);
    if (parent.remote().url().isPresent()) {
      // Under GARDEN_URL the deployment is the gateway's: this laptop's engine and stores are not what runs.
      if (gateway.status().equals("OK")) {
        findings.addAll(remote(parent.remote().client(null).orElseThrow().doctor()));
      }
    } else {
      findings.add(kafka(config));
      Finding engine = engine(config);
      findings.add(engine);
      if (engine.status().equals("OK")) {
        findings.add(platforms(config));
      }
      findings.add(imageRegistry(config));
      findings.addAll(stores(config, repo.folder()));
    }
    findings.add(credentials(parent.env()));
    int code = 0;
    for (Finding f : findings) {
      if (f.failed()) {
        code |= f.part().bit;
      }
    }
    int exit = code == 0 ? ExitCodes.OK : 16 + code;
    if (format.equals("json")) {
      out.println(json(findings, exit));
    } else {
      for (Finding f : findings) {
        out.printf("%-4s %-17s %s%n", f.status(), label(f.part()), f.detail());
        if (f.hasFix()) {
          out.println("     fix: " + f.fix());
        }
      }
    }
    out.flush();
    return exit;
  }

  /** Fields in a fixed order: part, status, detail, fix; then the exit code. */
  private static String json(List<Finding> findings, int exit) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("part", label(f.part()));
      item.put("status", f.status());
      item.put("detail", f.detail());
      item.put("fix", f.hasFix() ? f.fix() : null);
      items.add(item);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("findings", items);
    all.put("exitCode", exit);
    try {
      return io.garden.common.event.EventCodec.shared().mapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the doctor's findings", e);
    }
  }

  /** The gateway's own findings, as {@code /api/v1/doctor} gives them, each with its part's bit. */
  static List<Finding> remote(com.fasterxml.jackson.databind.JsonNode answer) {
    List<Finding> findings = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode f : answer.path("findings")) {
      Part part = switch (f.path("part").asText()) {
        case "kafka" -> Part.KAFKA;
        case "container engine" -> Part.ENGINE;
        case "image registry" -> Part.IMAGE_REGISTRY;
        case "object store" -> Part.STORE;
        case "workers" -> Part.WORKERS;
        default -> Part.GATEWAY;
      };
      findings.add(new Finding(part, f.path("status").asText("FAIL"), "gateway: " + f.path("detail").asText(),
          f.path("fix").isTextual() ? f.path("fix").asText() : null));
    }
    return findings;
  }

  /** The gateway GARDEN_URL names: does it answer, is it ready, does it take our credential? */
  static Finding gateway(Map<String, String> env) {
    String url = env.get("GARDEN_URL");
    if (url == null || url.isBlank()) {
      return new Finding(Part.GATEWAY, "SKIP", "GARDEN_URL is not set: commands run in this process", null);
    }
    String base = url.trim().replaceAll("/+$", "");
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).timeout(TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      if (ready.statusCode() != 200) {
        return new Finding(Part.GATEWAY, "FAIL", base + " is not ready (HTTP " + ready.statusCode() + "): "
            + ready.body().strip(), "see the gateway's log; /ready names what it waits for (Kafka, the coordinator)");
      }
      String token = io.garden.common.config.Secrets.read(env, "GARDEN_API_TOKEN").orElse("");
      HttpResponse<Void> asked = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines?limit=1"))
          .header("Authorization", "Bearer " + token).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      if (asked.statusCode() == 401 || asked.statusCode() == 403) {
        return new Finding(Part.GATEWAY, "FAIL", base + " is ready but refuses this credential (HTTP "
            + asked.statusCode() + ")", "set GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE) to a credential the gateway"
            + " knows: garden token create NAME --roles run on the gateway's host");
      }
      return new Finding(Part.GATEWAY, "OK", base + " is ready and takes this credential", null);
    } catch (java.io.IOException | IllegalArgumentException e) {
      return new Finding(Part.GATEWAY, "FAIL", "nothing answers at GARDEN_URL=" + base,
          "start the gateway (garden gateway, garden up) or fix GARDEN_URL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the gateway", e);
    }
  }

  static String label(Part part) {
    return switch (part) {
      case KAFKA -> "kafka";
      case ENGINE -> "container engine";
      case IMAGE_REGISTRY -> "image registry";
      case STORE -> "object store";
      case CREDENTIALS -> "api credentials";
      case GATEWAY -> "gateway";
      case WORKERS -> "workers";
      case PLATFORMS -> "platforms";
    };
  }

  /**
   * The shared {@code GARDEN_API_TOKEN} still works as an admin principal, but everyone holding it can publish to
   * prod and the audit log cannot tell them apart: named credentials can. A named credential's secret used as the
   * CLI's token (it starts with {@code gdn_}) is what we want to see.
   */
  static Finding credentials(Map<String, String> env) {
    String file = env.get("GARDEN_API_TOKENS_FILE");
    String shared = io.garden.common.config.Secrets.read(env, "GARDEN_API_TOKEN").orElse(null);
    boolean sharedIsNamed = shared != null && shared.startsWith(CredentialFile.SECRET_PREFIX);
    if (shared != null && !sharedIsNamed) {
      return new Finding(Part.CREDENTIALS, "WARN", "GARDEN_API_TOKEN is one shared admin credential: whoever holds"
          + " it may publish to prod, restore and unlock, and every event names them all api:"
          + ApiCredentials.SHARED_NAME, "give each person and job its own credential with only the roles it needs"
          + " (garden token create NAME --roles run,publish:dev), set GARDEN_API_TOKENS_FILE on the gateway, then"
          + " unset GARDEN_API_TOKEN there");
    }
    if (file != null && !file.isBlank()) {
      try {
        int count = new CredentialFile(Path.of(file.trim()), java.time.Clock.systemUTC()).list().size();
        return new Finding(Part.CREDENTIALS, count == 0 ? "WARN" : "OK", count + " named credential(s) in " + file,
            "garden token create NAME --roles ... (nobody can call the API yet)");
      } catch (IllegalArgumentException e) {
        return new Finding(Part.CREDENTIALS, "WARN", e.getMessage(), "fix or remake the file with garden token");
      }
    }
    return new Finding(Part.CREDENTIALS, sharedIsNamed ? "OK" : "SKIP", sharedIsNamed
        ? "GARDEN_API_TOKEN is a named credential's secret" : "no API credentials configured here", null);
  }

  static Finding kafka(GardenConfig config) {
    String servers = config.kafkaBootstrapServers();
    if (servers == null) {
      return new Finding(Part.KAFKA, "SKIP", "KAFKA_BOOTSTRAP_SERVERS is not set: garden up and garden ci-pipeline"
          + " start an embedded broker", null);
    }
    Map<String, Object> props = new LinkedHashMap<>(new KafkaSettings(servers, "garden-doctor", config.host()).admin());
    props.put("request.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
    props.put("default.api.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
    try (Admin client = Admin.create(props)) {
      int brokers = client.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      // The gateway's /ready asks the same question: one rule for the topic layout.
      List<String> problems = Readiness.check(client);
      if (!problems.isEmpty()) {
        return new Finding(Part.KAFKA, "FAIL", servers + ": " + String.join("; ", problems),
            "start `garden gateway` (or `garden up`) once against this cluster to create missing topics; a publish"
                + " topic with more than 1 partition must be recreated with exactly 1");
      }
      return new Finding(Part.KAFKA, "OK", servers + ": " + brokers + " broker(s), " + Topics.names().size()
          + " topics, publish topic with 1 partition", null);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return new Finding(Part.KAFKA, "FAIL", servers + " did not answer within " + TIMEOUT.toSeconds() + " s",
          "check KAFKA_BOOTSTRAP_SERVERS and that the brokers run and are reachable from here");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka", e);
    }
  }

  static Finding engine(GardenConfig config) {
    return EngineProbe.answers(config.dockerHost(), TIMEOUT)
        ? new Finding(Part.ENGINE, "OK", "answers at DOCKER_HOST=" + config.dockerHost(), null)
        : new Finding(Part.ENGINE, "FAIL", "no container engine at DOCKER_HOST=" + config.dockerHost()
            + " (build, test and push cannot run)", "start Docker, or `eval \"$(scripts/container-engine.sh start)\"`"
            + " (Podman's Docker API), and set DOCKER_HOST");
  }

  /** How this machine builds each platform a push builds (GARDEN_PLATFORMS): native, emulated, or not at all. */
  static Finding platforms(GardenConfig config) {
    Platform own;
    try (io.garden.build.Engine engine = new io.garden.build.Engine(config.dockerHost())) {
      own = engine.nativePlatform();
    } catch (java.io.IOException | RuntimeException e) {
      return new Finding(Part.PLATFORMS, "SKIP", "the engine did not say its platform", null);
    }
    PlatformSupport support = new PlatformSupport(own, PlatformSupport.BINFMT);
    List<Platform> wanted = config.pushPlatforms().list();
    String detail = String.join(", ", wanted.stream().map(p -> p.wire() + " " + support.describe(p)).toList())
        + " (GARDEN_PLATFORMS)";
    boolean missing = wanted.stream().anyMatch(p -> support.how(p) == PlatformSupport.How.MISSING);
    return missing ? new Finding(Part.PLATFORMS, "WARN", detail + ": pushes refuse until each can be built",
        "apt-get install qemu-user-static binfmt-support (or scripts/container-engine.sh platforms); or push"
            + " fewer platforms: GARDEN_PLATFORMS=" + own.wire())
        : new Finding(Part.PLATFORMS, "OK", detail, null);
  }

  static Finding imageRegistry(GardenConfig config) {
    String registry = config.imageRegistry();
    if (registry == null) {
      return new Finding(Part.IMAGE_REGISTRY, "SKIP", "GARDEN_IMAGE_REGISTRY is not set: pushes go to Docker Hub",
          null);
    }
    URI uri = ImageRegistryApi.apiRoot(registry);
    try {
      int status = ImageRegistryApi.ping(registry, TIMEOUT);
      // 401 is a registry asking for credentials: it is there and speaks the API.
      if (status == 200 || status == 401) {
        return new Finding(Part.IMAGE_REGISTRY, "OK", registry + " speaks the registry API (" + uri + ")", null);
      }
      return new Finding(Part.IMAGE_REGISTRY, "FAIL", uri + " answered HTTP " + status,
          "GARDEN_IMAGE_REGISTRY must name a Docker registry (host:port), e.g. localhost:5000");
    } catch (java.io.IOException e) {
      return new Finding(Part.IMAGE_REGISTRY, "FAIL", "nothing answers at " + uri,
          "start the registry (scripts/container-engine.sh start runs one on localhost:5000) or fix"
              + " GARDEN_IMAGE_REGISTRY");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the image registry", e);
    }
  }

  /** Each distinct store once: the per-stage registries and the artifact store. */
  static List<Finding> stores(GardenConfig config, Path repoRoot) {
    Map<StoreConfig, List<String>> uses = new LinkedHashMap<>();
    for (Stage stage : Stage.values()) {
      uses.computeIfAbsent(config.store(stage), s -> new ArrayList<>()).add(stage.id());
    }
    uses.computeIfAbsent(config.artifactStore(), s -> new ArrayList<>()).add("artifacts");
    List<Finding> findings = new ArrayList<>();
    uses.forEach((store, roles) -> findings.add(store(store, roles, repoRoot)));
    return findings;
  }

  private static Finding store(StoreConfig config, List<String> roles, Path repoRoot) {
    String what = String.join(", ", roles);
    java.util.Optional<Path> folder = ObjectStores.folderOf(config, repoRoot);
    // A stage's place not made yet is fine, unless the shared folder holds a registry of the old layout: every
    // publish would refuse it, so the check below (which opens the store and says so) must run.
    boolean oldLayout = config.place() != null && ObjectStores.folderOf(config.shared(), repoRoot)
        .map(shared -> java.nio.file.Files.isDirectory(shared.resolve(ObjectKeys.LEGACY_MARKER)))
        .orElse(false);
    if (folder.isPresent() && !java.nio.file.Files.isDirectory(folder.get()) && !oldLayout) {
      // Looking creates nothing: a folder that is not there yet is made by the first command that writes to it.
      return new Finding(Part.STORE, "SKIP", "folder " + folder.get() + " (" + what + ") does not exist yet; the"
          + " first publish or pipeline makes it", null);
    }
    try (ObjectStore store = ObjectStores.open(config, repoRoot)) {
      StoreSelfTest.verify(store);
      return new Finding(Part.STORE, "OK", store.describe() + " (" + what + "): refuses stale conditional writes",
          null);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (reason.contains("garden migrate-store")) {
        return new Finding(Part.STORE, "FAIL", "store for " + what + ": " + reason.replaceFirst("^Error: ", ""),
            "garden migrate-store --to STAGE (the stage the registry at its top was published for)");
      }
      return new Finding(Part.STORE, "FAIL", "store for " + what + ": " + reason,
          "point GARDEN_STORE (or GARDEN_STORE_{STAGE}, GARDEN_ARTIFACT_STORE) at a folder or an S3 store that"
              + " enforces If-Match / If-None-Match, with credentials that can write");
    }
  }
}
