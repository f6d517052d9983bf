package io.garden.cli;

import io.garden.common.kafka.KafkaBroker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** garden worker (and so garden gateway) serve /health, /ready and /metrics like the images do; a taken port is said. */
@ExtendWith(KafkaBroker.class)
class ComponentHealthIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path temp;

  private Process worker(int port, Path log) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.garden.cli.Main", "worker", "validate",
        "--data-dir", temp.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    builder.environment().put("GARDEN_HEALTH_PORT", Integer.toString(port));
    builder.environment().put("GARDEN_HOST", "health-it");
    return builder.start();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("garden worker serves /health, /ready and /metrics on GARDEN_HEALTH_PORT; a second one on the same port"
      + " says which setting to change")
  void workerServesHealthAndNamesATakenPort() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path firstLog = temp.resolve("first.log");
    Process first = worker(port, firstLog);
    try {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
          .until(() -> get(port, "/health").statusCode() == 200);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> get(port, "/ready").statusCode() == 200);
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("service=\"validate-worker\"");
      assertThat(Files.readString(firstLog)).contains("/health, /ready and /metrics on port " + port);

      Path secondLog = temp.resolve("second.log");
      Process second = worker(port, secondLog);
      assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second worker gives up").isTrue();
      assertThat(second.exitValue()).isNotZero();
      assertThat(Files.readString(secondLog, StandardCharsets.UTF_8))
          .contains("port " + port + " for /health, /ready and /metrics is taken: set GARDEN_HEALTH_PORT")
          .doesNotContain("\tat ");
    } finally {
      first.destroy();
      first.waitFor(60, TimeUnit.SECONDS);
      List.of(first).forEach(Process::destroyForcibly);
    }
  }
}
