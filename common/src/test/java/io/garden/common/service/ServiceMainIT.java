package io.garden.common.service;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.kafka.KafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(KafkaBroker.class)
class ServiceMainIT {

  private final HttpClient http = HttpClient.newHttpClient();

  /** Stands in for a worker: records that it was started and stopped. */
  static final class Probe extends VerticleBase {
    final AtomicBoolean stopped = new AtomicBoolean();

    @Override
    public Future<?> stop() {
      stopped.set(true);
      return Future.succeededFuture();
    }
  }

  @Test
  @DisplayName("a started service answers /health with its parts and /metrics in Prometheus text; close stops them")
  void healthMetricsAndStop() throws Exception {
    Probe probe = new Probe();
    RunningService running = ServiceMain.start(Component.VALIDATE_WORKER, Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers(), "GARDEN_HEALTH_PORT", "0"),
        context -> List.of(new ServicePart("probe", () -> probe)));
    int port = running.healthPort();
    try {
      HttpResponse<String> health = get(port, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"service\":\"validate-worker\",\"parts\":[\"probe\"]}");

      assertThat(HealthCheck.healthy(port)).as("the images' health check command").isTrue();

      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/plain"));
      assertThat(metrics.body()).contains("jvm_memory_used_bytes", "service=\"validate-worker\"");
    } finally {
      running.close();
    }
    assertThat(probe.stopped).isTrue();
    assertThatThrownBy(() -> get(port, "/health")).isInstanceOf(ConnectException.class);
    assertThat(HealthCheck.healthy(port)).isFalse();
  }

  @Test
  @DisplayName("what a part found at start is in /health under its name (a build worker's platforms)")
  void healthSaysWhatPartsFound() throws Exception {
    RunningService running = ServiceMain.start(Component.BUILD_WORKER, Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers(), "GARDEN_HEALTH_PORT", "0"),
        context -> List.of(new ServicePart("builder", Probe::new, Map.of("linux/amd64", "native",
            "linux/arm64", "emulated (qemu-aarch64)"))));
    try {
      assertThat(get(running.healthPort(), "/health").body()).isEqualTo("{\"status\":\"UP\",\"service\":"
          + "\"build-worker\",\"parts\":[\"builder\"],\"about\":{\"builder\":{\"linux/amd64\":\"native\","
          + "\"linux/arm64\":\"emulated (qemu-aarch64)\"}}}");
    } finally {
      running.close();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
