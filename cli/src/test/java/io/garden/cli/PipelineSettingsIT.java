package io.garden.cli;

import io.garden.build.RequiresEngine;
import io.garden.build.SuiteFixtures;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings reach the workers of a pipeline as they reach a command run alone: the build worker that garden
 * ci-pipeline starts in its node reads the GARDEN_TEST_* settings from the caller's environment. It used to start
 * with an empty one, so a pipeline ignored every GARDEN_TEST_* setting (its toolchain images, its network, its
 * limits) that garden test in the same shell honoured.
 */
@ExtendWith(RequiresEngine.class)
class PipelineSettingsIT {

  @TempDir
  Path repo;

  @Test
  @DisplayName("a pipeline's test step runs with the GARDEN_TEST_NETWORK of the environment it was started in")
  void aPipelineHonoursTheTestSettings() throws Exception {
    com.sun.net.httpserver.HttpServer host = com.sun.net.httpserver.HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    host.start();
    try {
      String name = "settings-" + Long.toHexString(System.nanoTime());
      SuiteFixtures.withTestStage(repo, name, "if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 "
          + host.getAddress().getPort() + " | grep -q ' 200 '; then echo 'reached the host'; exit 1; fi\n"
          + "echo '1 passed, offline'\n");
      // One run: with the setting ignored the suite would run offline (the default) and pass.
      Map<String, String> env = Map.of("GARDEN_HOST", "it", "DOCKER_HOST", RequiresEngine.dockerHost(),
          "GARDEN_TEST_NETWORK", "host");

      CliRun online = CliRun.of(env, "ci-pipeline", "--steps", "build,test", "--repo", repo.toString(), "app",
          name);

      assertThat(online.exitCode()).as("GARDEN_TEST_NETWORK=host reached the pipeline's build worker: "
          + online.out() + online.err()).isEqualTo(ExitCodes.FINDINGS);
    } finally {
      host.stop(0);
    }
  }

  @Test
  @DisplayName("a pipeline's pytest suite runs on the GARDEN_TEST_IMAGE_PYTHON of the environment it was started in:"
      + " one that is not there fails the test step, named")
  void aPipelineHonoursTheToolchainImage() throws Exception {
    String name = "toolchain-" + Long.toHexString(System.nanoTime());
    // A busybox service (the smoke test runs it) whose suite is pytest: no test stage, so garden's recipe runs it
    // on the toolchain image.
    SuiteFixtures.withTestStage(repo, name, "");
    Path app = repo.resolve("apps/" + name);
    Files.writeString(app.resolve("Dockerfile"), Files.readString(app.resolve("Dockerfile"))
        .replaceAll("(?s)FROM base AS test.*?\n\n", ""));
    Files.writeString(app.resolve("requirements.txt"), "# nothing to install: the toolchain image has pytest\n");
    Files.writeString(app.resolve("test_suite.py"), "def test_adds():\n    assert 1 + 1 == 2\n");
    // One run: the image named here does not exist, so a pipeline that honours the setting fails naming it (the
    // default, python:3.12-slim, would be pulled or fail under its own name).
    Map<String, String> env = Map.of("GARDEN_HOST", "it", "DOCKER_HOST", RequiresEngine.dockerHost(),
        "GARDEN_TEST_IMAGE_PYTHON", "localhost/garden-no-such-toolchain:" + name);

    CliRun missing = CliRun.of(env, "ci-pipeline", "--steps", "build,test", "--repo", repo.toString(), "app", name);

    assertThat(missing.exitCode()).as(missing.out() + missing.err()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(missing.out() + missing.err()).contains("garden-no-such-toolchain");
  }
}
