package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventCodec;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.Topics;
import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.testing.RunningGateway;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway while its broker is away, on a broker of its own that the test stops and starts again: readiness
 * says so at once, a submit is refused within the bound, and what was refused never runs once the broker is back.
 */
class BrokerOutageIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final String TOKEN = "outage-" + UUID.randomUUID();

  @TempDir
  Path temp;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @DisplayName("broker stopped: /ready is 503 within a second with the reason, POST is 503, and it never runs later")
  void brokerOutage() throws Exception {
    Path repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    Path kafkaData = temp.resolve("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.startIn(kafkaData);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GARDEN_HOST", "it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("GARDEN_API_TOKEN", TOKEN);
    env.put("GARDEN_ALLOWED_PATHS", repo.toString());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    RunningGateway gateway = RunningGateway.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .withBind(GatewayConfig.LOOPBACK), kafka.bootstrapServers());
    Vertx clients = Vertx.vertx();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> get(gateway, "/ready").statusCode() == 200);

      kafka.close();
      await().atMost(Duration.ofSeconds(15)).until(() -> get(gateway, "/ready").statusCode() == 503);
      HttpResponse<String> ready = get(gateway, "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready.body()).path("problems").toString()).contains("Kafka");
      assertThat(get(gateway, "/health").statusCode()).as("liveness is not readiness").isEqualTo(200);

      String key = UUID.randomUUID().toString();
      long asked = System.nanoTime();
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/pipelines"))
          .header("Authorization", "Bearer " + TOKEN).header("Idempotency-Key", key)
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
              + "\"targets\":\"all\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(json(refused.body()).path("error").asText()).contains("nothing was queued");
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(25));

      kafka = EmbeddedKafka.startIn(kafkaData);
      await().atMost(Duration.ofSeconds(60)).until(() -> get(gateway, "/ready").statusCode() == 200);
      String refusedId = PipelineIds.forKey("api:shared-token", key,
          io.garden.gateway.intake.CredentialFile.sha256(TOKEN).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      EventTail events = new EventTail(clients, kafka.bootstrapServers(), Topics.EVENTS);
      EventTail requests = new EventTail(clients, kafka.bootstrapServers(), Topics.PIPELINE_REQUESTS);
      try {
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() ->
            List.of(events, requests).stream().flatMap(t -> t.envelopes().stream())
                .noneMatch(e -> refusedId.equals(e.pipelineId())));
      } finally {
        events.close();
        requests.close();
      }
    } finally {
      clients.close().await();
      gateway.close();
      kafka.close();
    }
  }

  private HttpResponse<String> get(RunningGateway gateway, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(1)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String body) throws Exception {
    return CODEC.mapper().readTree(body);
  }
}
