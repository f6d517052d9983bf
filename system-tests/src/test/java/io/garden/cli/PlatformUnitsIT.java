package io.garden.cli;

import io.garden.build.BusyboxFixtures;
import io.garden.build.RequiresEngine;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepStarted;
import io.garden.common.event.TestFinished;
import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.platform.Platform;
import io.garden.gateway.GatewayConfig;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A push over several platforms is one unit per (extension, platform) on the bus: each goes to a build worker that
 * builds that platform, and a worker killed mid-build hands its unit, and only it, to another. Workers are processes
 * of their own (killed with SIGKILL); the gateway runs here; the engine, QEMU and the registry are real.
 */
@ExtendWith({RequiresEngine.class, KafkaBroker.class})
class PlatformUnitsIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");

  @TempDir
  Path temp;

  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void emulation() {
    boolean ready = Files.isExecutable(BusyboxFixtures.ARM64_BUSYBOX)
        && Files.exists(Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64"));
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(ready).as("CI registers QEMU and an arm64 busybox: scripts/container-engine.sh platforms").isTrue();
    }
    assumeThat(ready).as("linux/arm64 emulation (scripts/container-engine.sh platforms)").isTrue();
  }

  @AfterEach
  void killWorkers() throws InterruptedException {
    for (Process worker : workers) {
      worker.destroyForcibly();
      worker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Map<String, String> env(String host, String platforms) {
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", host);
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", RequiresEngine.dockerHost());
    env.put("GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry());
    env.put("GARDEN_PLATFORMS", platforms);
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources-" + host).toString());
    env.put("GARDEN_BUILD_WORKER_WAIT_SECONDS", "60");
    return env;
  }

  @Test
  @DisplayName("each platform's unit goes to the worker that builds it; killing the arm64 worker mid-build re-runs"
      + " only the arm64 unit, on the worker that builds both, and the amd64 one is built once")
  void unitsFollowThePlatforms() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("repo"));
    String quick = "units-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.writeMultiPlatform(repo, quick, "1.0.0", false);
    Map<String, String> gatewayEnv = env("units-gateway", "linux/amd64,linux/arm64");
    GardenConfig config = GardenConfig.fromEnv(gatewayEnv).withStoreDefault(temp.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(gatewayEnv).withPort(0).allowingPaths(List.of(repo));
    try (NodeUnderTest node = NodeUnderTest.start(gatewayEnv, config, gateway, GardenNode.Role.GATEWAY)) {
      Process arm64Only = worker("arm64-only", "linux/arm64");
      worker("amd64-only", "linux/amd64");
      awaitMembers(ConsumerGroups.platformBuild(ARM64), 1);
      awaitMembers(ConsumerGroups.platformBuild(AMD64), 1);

      String first = pipeline(node, repo, quick, "\"build\",\"test\",\"push\"");
      assertThat(finished(node, first).state()).as(node.events().envelopes().toString())
          .isEqualTo(PipelineFinished.State.SUCCEEDED);
      assertThat(node.events().envelopes().stream().filter(e -> first.equals(e.pipelineId())
              && EventTypes.is(e, TestFinished.class)).map(e -> CODEC.payload(e, TestFinished.class)))
          .as("the test step's own, then each platform's smoke test before its push")
          .extracting(TestFinished::platform, TestFinished::passed)
          .containsExactlyInAnyOrder(tuple(null, true), tuple("linux/amd64, native", true),
              tuple("linux/arm64, emulated (qemu-aarch64)", true));
      assertThat(answeredBy(node, first, "apps/" + quick + "@linux/arm64"))
          .isEqualTo(ConsumerGroups.platformBuild(ARM64) + "@arm64-only");
      assertThat(answeredBy(node, first, "apps/" + quick + "@linux/amd64"))
          .isEqualTo(ConsumerGroups.platformBuild(AMD64) + "@amd64-only");

      worker("both", "linux/amd64,linux/arm64");
      // The next unit must land on the arm64-only worker: an extension whose key is on a partition it holds.
      String slow = onPartitionOf(ConsumerGroups.platformBuild(ARM64), "@arm64-only", quick + "-slow");
      BusyboxFixtures.writeMultiPlatform(repo, slow, "1.0.0", false);
      // The first image built takes a while on arm64, so the worker is killed mid-build; quick on amd64.
      Path dockerfile = repo.resolve("apps/" + slow + "/api/Dockerfile");
      Files.writeString(dockerfile, Files.readString(dockerfile).replace("COPY www /www",
          "RUN [\"/bin/sh\", \"-c\", \"test $(uname -m) != aarch64 || sleep 4\"]\nCOPY www /www"));
      String second = pipeline(node, repo, slow, "\"push\"");
      node.events().awaitEvent(e -> second.equals(e.pipelineId()) && e.source().endsWith("@arm64-only")
          && EventTypes.is(e, BuildProgress.class), Duration.ofSeconds(120));
      arm64Only.destroyForcibly(); // SIGKILL mid-build: no goodbye to the group, no commit
      arm64Only.waitFor(30, TimeUnit.SECONDS);

      assertThat(finished(node, second).state()).as(node.events().envelopes().toString())
          .isEqualTo(PipelineFinished.State.SUCCEEDED);
      assertThat(answeredBy(node, second, "apps/" + slow + "@linux/arm64")).endsWith("@both");
      List<String> amd64Builds = progress(node, second, "-linux-amd64 for linux/amd64");
      assertThat(amd64Builds).as("each service's amd64 image built once").hasSize(2);
      assertThat(progress(node, second, "-linux-arm64 for linux/arm64")).as("arm64 built again after the kill")
          .anySatisfy(line -> assertThat(line).startsWith("both:"));
    }
  }

  private Process worker(String host, String platforms) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "worker", "build"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve("worker-" + host + ".log").toFile());
    builder.environment().putAll(env(host, platforms));
    Process process = builder.start();
    workers.add(process);
    return process;
  }

  /**
   * A name for an extension whose units of {@code group}'s platform go to the member named {@code member}: its key
   * ({@code apps/NAME}) is on a partition that member holds, once the group has settled with both emulating members.
   */
  private static String onPartitionOf(String group, String member, String prefix) throws Exception {
    java.util.Set<Integer> held = new java.util.HashSet<>();
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "units").admin())) {
      Awaitility.await(group + " settled over two members").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            var members = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(5, TimeUnit.SECONDS).members();
            held.clear();
            members.stream().filter(m -> m.clientId().endsWith(member))
                .forEach(m -> m.assignment().topicPartitions().forEach(tp -> held.add(tp.partition())));
            int assigned = members.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            return members.size() == 2 && assigned == 3 && !held.isEmpty() && held.size() < 3;
          });
    }
    for (int i = 0; ; i++) {
      String name = prefix + i;
      byte[] key = ("apps/" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (held.contains(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
          key)) % 3)) {
        return name;
      }
    }
  }

  private static void awaitMembers(String group, int count) {
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "units").admin())) {
      Awaitility.await(group + " has " + count + " member(s)").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
              return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                  .get(5, TimeUnit.SECONDS).members().size() == count;
            } catch (java.util.concurrent.ExecutionException e) {
              return false;
            }
          });
    }
  }

  private static String pipeline(NodeUnderTest node, Path repo, String app, String steps) throws Exception {
    HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.node().url() + "/api/v1/pipelines"))
        .header("Authorization", "Bearer " + node.node().token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[" + steps + "],"
            + "\"targets\":[\"apps/" + app + "\"],\"stage\":\"stage\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    return CODEC.mapper().readTree(posted.body()).path("id").asText();
  }

  private static PipelineFinished finished(NodeUnderTest node, String pipeline) {
    return CODEC.payload(node.events().awaitEvent(e -> pipeline.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class), Duration.ofSeconds(240)), PipelineFinished.class);
  }

  /** The source of the step.finished that answered the pipeline's unit for {@code target}. */
  private static String answeredBy(NodeUnderTest node, String pipeline, String target) {
    String request = node.events().envelopes().stream()
        .filter(e -> pipeline.equals(e.pipelineId()) && EventTypes.is(e, StepStarted.class))
        .map(e -> CODEC.payload(e, StepStarted.class)).filter(s -> target.equals(s.target()))
        .findFirst().orElseThrow(() -> new AssertionError("no unit " + target + " in " + node.events().envelopes()
            .stream().filter(e -> pipeline.equals(e.pipelineId())).map(e -> e.type() + " " + e.source() + " "
                + new String(CODEC.encode(e), java.nio.charset.StandardCharsets.UTF_8)).toList()))
        .requestId();
    return node.events().envelopes().stream()
        .filter(e -> request.equals(e.causationId()) && e.type().equals("step.finished"))
        .map(Envelope::source).findFirst().orElseThrow(() -> new AssertionError("no step.finished for " + target));
  }

  /** The build lines of the pipeline naming {@code text}, as "host: line". */
  private static List<String> progress(NodeUnderTest node, String pipeline, String text) {
    return node.events().envelopes().stream()
        .filter(e -> pipeline.equals(e.pipelineId()) && EventTypes.is(e, BuildProgress.class))
        .filter(e -> CODEC.payload(e, BuildProgress.class).line().contains("▶ building")
            && CODEC.payload(e, BuildProgress.class).line().contains(text))
        .map(e -> e.source().substring(e.source().indexOf('@') + 1) + ": " + CODEC.payload(e, BuildProgress.class)
            .line()).toList();
  }
}
