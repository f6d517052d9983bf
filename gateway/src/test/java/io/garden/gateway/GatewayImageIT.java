package io.garden.gateway;

import io.garden.common.Prerequisites;
import io.garden.common.kafka.KafkaBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway image that {@code mvn -Pimages package} built with Jib, loaded into a real container engine and started
 * against the test broker: it answers /health on its health port, and its API answers too. Skipped with the reason
 * when there is no image tarball or no engine CLI — except under CI=true, where both are set up and a skip would
 * hide a broken image.
 */
@ExtendWith(KafkaBroker.class)
class GatewayImageIT {

  private static final Path TARBALL = Path.of("target/images/gateway.tar");
  private static final String VERSION = System.getProperty("garden.version", "0.1.0-SNAPSHOT");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @DisplayName("the gateway image starts against Kafka and answers /health on its own port and on the API")
  void imageAnswersHealth() throws Exception {
    String engine = engineCli();
    Prerequisites.require(Files.exists(TARBALL), "no image tarball at " + TARBALL.toAbsolutePath()
        + " (build it with: mvn -Pimages package)");
    Prerequisites.require(engine != null, "no podman or docker command that reaches a container engine");

    run(engine, "load", "-i", TARBALL.toAbsolutePath().toString());
    String name = "garden-gateway-it-" + UUID.randomUUID().toString().substring(0, 8);
    int healthPort = freePort();
    int apiPort = freePort();
    try {
      // Host network: the test broker listens on loopback, and the engines here run containers on the host network.
      run(engine, "run", "-d", "--name", name, "--network", "host",
          "-e", "KAFKA_BOOTSTRAP_SERVERS=" + KafkaBroker.bootstrapServers(),
          "-e", "GARDEN_API_TOKEN=image-it-token",
          "-e", "GARDEN_PORT=" + apiPort,
          "-e", "GARDEN_HEALTH_PORT=" + healthPort,
          "garden/gateway:" + VERSION);
      Awaitility.await("the gateway container is healthy").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> get(healthPort, "/health").statusCode() == 200);
      HttpResponse<String> health = get(healthPort, "/health");
      assertThat(health.body()).contains("\"status\":\"UP\"", "\"service\":\"gateway\"", "\"coordinator\"");
      assertThat(get(apiPort, "/health").statusCode()).isEqualTo(200);
      assertThat(get(healthPort, "/metrics").body()).contains("service=\"gateway\"");
      assertThat(run(engine, "exec", name, "java", "-cp", "/app/libs/*", "io.garden.common.service.HealthCheck"))
          .as("the image's health check command").isNotNull();
    } finally {
      Prerequisites.runs(engine, "rm", "-f", name); // best effort: the container may never have started
    }
  }

  /** podman when installed (it needs no service), else docker when it reaches an engine at DOCKER_HOST. */
  private static String engineCli() {
    for (String cli : List.of("podman", "docker")) {
      if (Prerequisites.runs(cli, "info")) {
        return cli;
      }
    }
    return null;
  }

  /** Runs an engine command; its output, or a failure with the output. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
