package io.garden.cli;

import io.garden.build.RequiresEngine;
import io.garden.build.SuiteFixtures;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
      Map<String, String> env = new HashMap<>(Map.of("GARDEN_HOST", "it", "DOCKER_HOST",
          RequiresEngine.dockerHost()));

      CliRun sandboxed = CliRun.of(env, "ci-pipeline", "--steps", "build,test", "--repo", repo.toString(), "app",
          name);
      env.put("GARDEN_TEST_NETWORK", "host");
      CliRun online = CliRun.of(env, "ci-pipeline", "--steps", "build,test", "--repo", repo.toString(), "app",
          name);

      assertThat(sandboxed.exitCode()).as("no network by default: " + sandboxed.out() + sandboxed.err()).isZero();
      assertThat(online.exitCode()).as("GARDEN_TEST_NETWORK=host reached the pipeline's build worker: "
          + online.out() + online.err()).isEqualTo(ExitCodes.FINDINGS);
    } finally {
      host.stop(0);
    }
  }
}
