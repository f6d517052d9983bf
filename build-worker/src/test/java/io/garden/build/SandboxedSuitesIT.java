package io.garden.build;

import com.sun.net.httpserver.HttpServer;
import io.garden.build.suite.SuiteResult;
import io.garden.build.suite.TestSandbox;
import io.garden.common.Prerequisites;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.extension.LoadedExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * An extension's own tests in a container (SPEC §8) against the real engine: offline by default, limited, output
 * kept, stopped on cancel; and the smoke test's HEALTHCHECK where the engine does not run it (Podman).
 */
@ExtendWith(RequiresEngine.class)
class SandboxedSuitesIT {

  private static final String PYTEST_IMAGE = Optional.ofNullable(System.getenv("GARDEN_TEST_IMAGE_PYTHON"))
      .orElse("localhost/garden-pytest:bookworm");

  @TempDir
  static Path repo;

  private static Engine engine;
  private static HttpServer host;
  private static final AtomicInteger HOST_REQUESTS = new AtomicInteger();
  private static final String ID = Long.toHexString(System.nanoTime());

  @BeforeAll
  static void setUp() throws Exception {
    engine = new Engine(RequiresEngine.dockerHost());
    host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host.createContext("/", exchange -> {
      HOST_REQUESTS.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    host.start();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.stop(0);
    engine.close();
  }

  private static TestSandbox sandbox(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of("GARDEN_TEST_IMAGE_PYTHON", PYTEST_IMAGE));
    env.putAll(overrides);
    return TestSandbox.fromEnv(env);
  }

  private static ExtensionRef ref(String name) {
    return new ExtensionDiscovery(repo).resolve(ExtensionType.APP, name);
  }

  private static SuiteResult run(String name, TestSandbox sandbox) {
    return SandboxedTests.run(engine, ref(name), sandbox, line -> { }, Cancellation.none()).orElseThrow();
  }

  private static String reachHost() {
    return "if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 " + host.getAddress().getPort()
        + " | grep -q ' 200 '; then echo 'reached the host'; exit 1; fi\n";
  }

  @Test
  @DisplayName("a test stage runs with no network: the host's server is out of reach, and the output is kept")
  void testStageRunsOffline() throws Exception {
    SuiteFixtures.withTestStage(repo, "offline-" + ID, reachHost() + "echo '1 passed, offline'\n");
    int before = HOST_REQUESTS.get();

    SuiteResult result = run("offline-" + ID, sandbox(Map.of()));

    assertThat(result.tool()).isEqualTo("Dockerfile test stage");
    assertThat(result.passed()).as("%s", result).isTrue();
    assertThat(result.outputTail()).contains("1 passed, offline");
    assertThat(HOST_REQUESTS.get()).isEqualTo(before);
    assertThat(engine.containersNamed("garden-test-")).as("the test container is removed").isEmpty();
  }

  @Test
  @DisplayName("the same suite reaches the host when a deployment allows the network: the sandbox is what stops it")
  void networkIsTheSandboxsChoice() throws Exception {
    SuiteFixtures.withTestStage(repo, "online-" + ID, reachHost() + "echo '1 passed, offline'\n");

    SuiteResult result = run("online-" + ID, sandbox(Map.of("GARDEN_TEST_NETWORK", "host")));

    assertThat(result.passed()).as("%s", result).isFalse();
    assertThat(result.outputTail()).contains("reached the host");
  }

  @Test
  @DisplayName("a failing suite fails with its exit code and what it printed")
  void failingSuiteKeepsItsOutput() throws Exception {
    SuiteFixtures.withTestStage(repo, "failing-" + ID, "echo 'FAILED test_checkout - expected 2, got 3'\nexit 3\n");

    SuiteResult result = run("failing-" + ID, sandbox(Map.of()));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).isEqualTo("exit code 3");
    assertThat(result.outputTail()).contains("FAILED test_checkout - expected 2, got 3");
  }

  @Test
  @DisplayName("a suite that outgrows its memory is killed and the result names the limit")
  void memoryIsLimited() throws Exception {
    // The shell holds the whole command output in memory: 300 MB.
    SuiteFixtures.withTestStage(repo, "hungry-" + ID, "x=$(head -c 300000000 /dev/zero | tr '\\0' a)\n"
        + "echo \"survived ${#x}\"\n");

    SuiteResult result = run("hungry-" + ID, sandbox(Map.of("GARDEN_TEST_MEMORY_MB", "64")));

    assertThat(result.outputTail()).noneMatch(line -> line.startsWith("survived"));
    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).isEqualTo("exit code 137 (killed: the sandbox allows 64 MB, GARDEN_TEST_MEMORY_MB)");
  }

  @Test
  @DisplayName("a suite that runs past its time is stopped and removed, and says which setting to raise")
  void timeIsLimited() throws Exception {
    SuiteFixtures.withTestStage(repo, "endless-" + ID, "echo started\nsleep 300\n");

    SuiteResult result = run("endless-" + ID, sandbox(Map.of("GARDEN_TEST_TIMEOUT_SECONDS", "10")));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).isEqualTo("timed out after 10 s (GARDEN_TEST_TIMEOUT_SECONDS)");
    assertThat(result.outputTail()).contains("started");
    assertThat(engine.containersNamed("garden-test-")).isEmpty();
  }

  @Test
  @DisplayName("cancel stops a running suite at once and removes its container")
  void cancelStopsTheSuite() throws Exception {
    SuiteFixtures.withTestStage(repo, "cancelled-" + ID, "echo started\nsleep 300\n");
    Cancellation cancellation = new Cancellation();
    List<String> progress = new CopyOnWriteArrayList<>();
    CompletableFuture<Optional<SuiteResult>> running = CompletableFuture.supplyAsync(() -> SandboxedTests.run(engine,
        ref("cancelled-" + ID), sandbox(Map.of()), progress::add, cancellation));
    await().atMost(Duration.ofSeconds(60)).until(() -> progress.stream().anyMatch(l -> l.contains("running"))
        && !engine.containersNamed("garden-test-").isEmpty());

    cancellation.cancel();

    assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(BuildFailedException.class)
        .hasMessageContaining("Cancelled");
    // The cancel and the run's own clean-up both remove it; the engine may list it while the first removal ends.
    await().atMost(Duration.ofSeconds(15)).until(() -> engine.containersNamed("garden-test-").isEmpty());
  }

  @Test
  @DisplayName("pytest runs on the toolchain image offline: a real suite, its failures reported by name")
  void pytestRunsInTheToolchainImage() throws Exception {
    boolean present = engine.imageExists(PYTEST_IMAGE);
    if (!present && Prerequisites.onCi()) {
      throw new IllegalStateException("CI=true but " + PYTEST_IMAGE + " is missing: scripts/container-engine.sh"
          + " pytest-image makes it");
    }
    assumeThat(present).as(PYTEST_IMAGE + " (scripts/container-engine.sh pytest-image)").isTrue();
    SuiteFixtures.withPytest(repo, "py-" + ID, """
        import socket

        def test_arithmetic():
            assert 1 + 1 == 2

        def test_no_network():
            try:
                socket.create_connection(("127.0.0.1", %d), timeout=3)
            except OSError:
                return
            raise AssertionError("reached the host")

        def test_broken():
            assert "garden" == "gardn"
        """.formatted(host.getAddress().getPort()));

    SuiteResult result = run("py-" + ID, sandbox(Map.of()));

    assertThat(result.tool()).isEqualTo("pytest");
    assertThat(result.passed()).isFalse();
    assertThat(String.join("\n", result.outputTail())).contains("test_broken").contains("1 failed, 2 passed");
  }

  @Test
  @DisplayName("a HEALTHCHECK the engine never runs is run by the smoke test itself: healthy without a /health")
  void healthcheckIsRunWhenTheEngineDoesNot() throws Exception {
    SuiteFixtures.withHealthcheck(repo, "checked-" + ID, "[\"/bin/sh\", \"-c\", \"test -f /tmp/ready\"]", false);
    ImageBuilder.build(engine, ref("checked-" + ID), BuildOptions.defaults(), line -> { });

    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref("checked-" + ID)), Duration.ofSeconds(30));

    assertThat(smoke.passed()).as("%s", smoke).isTrue();
  }

  @Test
  @DisplayName("a failing HEALTHCHECK decides, even when /health answers; its interval and retries are kept, so it"
      + " is unhealthy after its third failure, not at the limit")
  void failingHealthcheckDecides() throws Exception {
    SuiteFixtures.withHealthcheck(repo, "sick-" + ID, "[\"/bin/sh\", \"-c\", \"exit 1\"]", true);
    ImageBuilder.build(engine, ref("sick-" + ID), BuildOptions.defaults(), line -> { });

    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref("sick-" + ID)), Duration.ofSeconds(40));

    assertThat(smoke.passed()).isFalse();
    assertThat(smoke.services().get(0).detail()).isEqualTo("unhealthy: its healthcheck failed 3 times in a row");
    assertThat(smoke.durationMs()).as("three checks two seconds apart, not the 40 s limit").isLessThan(20_000);
  }

  @Test
  @DisplayName("the compose file's command runs (an image with none of its own), and its failing healthcheck decides"
      + " over a /health that answers")
  void composeCommandAndHealthcheckAreHonoured() throws Exception {
    String name = "composed-" + ID;
    SuiteFixtures.withHealthcheck(repo, name, "[\"/bin/true\"]", true);
    Path dir = repo.resolve("apps/" + name);
    Path dockerfile = dir.resolve("Dockerfile");
    // No CMD and no HEALTHCHECK in the image: what runs and how it is checked come from the compose file.
    Files.writeString(dockerfile, Files.readString(dockerfile).lines()
        .filter(line -> !line.startsWith("CMD") && !line.startsWith("HEALTHCHECK"))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
    String compose = Files.readString(dir.resolve("docker-compose.yml"));
    String serving = compose.replace("    build: .\n", "    build: .\n    command: [\"/bin/sh\", \"-c\","
        + " \"exec httpd -f -p $$PORT -h /www\"]\n");
    Files.writeString(dir.resolve("docker-compose.yml"), serving);
    ImageBuilder.build(engine, ref(name), BuildOptions.defaults(), line -> { });

    SmokeTest.Result healthy = SmokeTest.run(engine, LoadedExtension.load(ref(name)), Duration.ofSeconds(20));
    assertThat(healthy.passed()).as("%s", healthy).isTrue();

    Files.writeString(dir.resolve("docker-compose.yml"), serving.replace("    build: .\n", "    build: .\n"
        + "    healthcheck:\n      test: [\"CMD\", \"/bin/sh\", \"-c\", \"exit 1\"]\n      interval: 1s\n"
        + "      retries: 2\n"));
    ImageBuilder.build(engine, ref(name), BuildOptions.defaults(), line -> { }); // syncs the compose file again
    SmokeTest.Result sick = SmokeTest.run(engine, LoadedExtension.load(ref(name)), Duration.ofSeconds(20));
    assertThat(sick.passed()).isFalse();
    assertThat(sick.services().get(0).detail()).isEqualTo("unhealthy: its healthcheck failed 2 times in a row");
  }

  @Test
  @DisplayName("cancel ends a smoke test that is waiting for health and removes its containers")
  void cancelStopsTheSmokeTest() throws Exception {
    SuiteFixtures.withHealthcheck(repo, "waiting-" + ID, "[\"/bin/sh\", \"-c\", \"exit 1\"]", false);
    ImageBuilder.build(engine, ref("waiting-" + ID), BuildOptions.defaults(), line -> { });
    Cancellation cancellation = new Cancellation();
    CompletableFuture<SmokeTest.Result> running = CompletableFuture.supplyAsync(() -> SmokeTest.run(engine,
        LoadedExtension.load(ref("waiting-" + ID)), SmokeTest.APP_GARDEN_LIMIT, line -> { }, cancellation));
    await().atMost(Duration.ofSeconds(30)).until(() -> !engine.containersNamed("garden-smoke-").isEmpty());

    long asked = System.nanoTime();
    cancellation.cancel();

    assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(BuildFailedException.class)
        .hasMessageContaining("Cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(SmokeTest.APP_GARDEN_LIMIT);
    assertThat(engine.containersNamed("garden-smoke-")).isEmpty();
  }

  @Test
  @DisplayName("a test stage's RUN steps build with no network: one that opens a socket to the host fails, and the"
      + " host sees nothing; with GARDEN_TEST_NETWORK=host the same step reaches it")
  void testStageRunStepsHaveNoNetwork() throws Exception {
    String name = "run-socket-" + ID;
    SuiteFixtures.withTestStage(repo, name, "echo '1 passed'\n");
    Path app = repo.resolve("apps/" + name);
    Files.writeString(app.resolve("fetch.sh"), "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 "
        + host.getAddress().getPort() + " | grep -q ' 200 ' || { echo 'no network in RUN'; exit 1; }\n");
    Path dockerfile = app.resolve("Dockerfile");
    Files.writeString(dockerfile, Files.readString(dockerfile).replace("COPY run-tests.sh /run-tests.sh",
        "COPY run-tests.sh /run-tests.sh\nCOPY fetch.sh /fetch.sh\nRUN [\"/bin/sh\", \"/fetch.sh\"]"));
    int before = HOST_REQUESTS.get();

    SuiteResult offline = run(name, sandbox(Map.of()));

    assertThat(offline.passed()).as("%s", offline).isFalse();
    assertThat(offline.detail() + offline.outputTail()).contains("no network in RUN");
    assertThat(HOST_REQUESTS.get()).as("the RUN step never reached the host").isEqualTo(before);

    SuiteResult online = run(name, sandbox(Map.of("GARDEN_TEST_NETWORK", "host")));
    assertThat(online.passed()).as("%s", online).isTrue();
    assertThat(HOST_REQUESTS.get()).isGreaterThan(before);
  }

  @Test
  @DisplayName("a test stage that names no command of its own is a failure: nothing would run as the suite")
  void testStageWithNothingToRunFails() throws Exception {
    SuiteFixtures.withTestStage(repo, "no-cmd-" + ID, "echo '1 passed'\n");
    Path dockerfile = repo.resolve("apps/no-cmd-" + ID + "/Dockerfile");
    Files.writeString(dockerfile, Files.readString(dockerfile).replace("CMD [\"/bin/sh\", \"/run-tests.sh\"]",
        "RUN [\"/bin/sh\", \"/run-tests.sh\"]"));

    SuiteResult result = run("no-cmd-" + ID, sandbox(Map.of()));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).contains("names no CMD or ENTRYPOINT of its own");
  }

  @Test
  @DisplayName("a smoke test runs on a network of its own: a busy port on the host does not stop it, and it leaves no"
      + " network behind")
  void smokeTestHasItsOwnNetwork() throws Exception {
    String name = "netns-" + ID;
    SuiteFixtures.withHealthcheck(repo, name, "[\"/bin/true\"]", true);
    java.util.regex.Matcher port = java.util.regex.Pattern.compile("\"(\\d+):\\d+\"")
        .matcher(Files.readString(repo.resolve("apps/" + name + "/docker-compose.yml")));
    assertThat(port.find()).isTrue();
    ImageBuilder.build(engine, ref(name), BuildOptions.defaults(), line -> { });
    try (java.net.ServerSocket busy = new java.net.ServerSocket(Integer.parseInt(port.group(1)), 50,
        InetAddress.getLoopbackAddress())) {

      SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref(name)), Duration.ofSeconds(30));

      assertThat(smoke.passed()).as("%s", smoke).isTrue();
      assertThat(busy.isBound()).isTrue();
    }
  }
}
