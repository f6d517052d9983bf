package io.garden.gateway;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.testing.ApiClient;
import io.garden.gateway.testing.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.garden.gateway.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways on one cluster, as behind a load balancer that sends each request anywhere: right after gateway A
 * answered 202, gateway B answers for that pipeline (its status, its event stream) instead of 404. B reads the
 * audit stream up to now before it says an id is unknown.
 */
@ExtendWith(KafkaBroker.class)
class ReadYourWritesIT {

  @TempDir
  static Path temp;

  private static RunningGateway a;
  private static RunningGateway b;
  private static Path repo;
  private static final String TOKEN = "ryw-" + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> settings = Map.of("GARDEN_API_TOKEN", TOKEN, "GARDEN_ALLOWED_PATHS", repo.toString(),
        "GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "100");
    a = RunningGateway.withFakeWorkers(settings, temp.resolve("store"));
    Map<String, String> env = new LinkedHashMap<>(settings);
    env.put("GARDEN_HOST", "it-b");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    b = RunningGateway.start(env, GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store")),
        GatewayConfig.fromEnv(env).withPort(0).withBind(GatewayConfig.LOOPBACK), KafkaBroker.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  @DisplayName("20 times: accepted by A, asked of B at once: B shows it (200), and its event stream opens")
  void theOtherGatewayAnswersAtOnce() throws Exception {
    ApiClient onA = new ApiClient(a.url());
    ApiClient onB = new ApiClient(b.url());
    List<Integer> statuses = new ArrayList<>();
    List<Integer> streams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> accepted = onA.submit("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
          + "\"targets\":\"all\"}", TOKEN, null);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String id = json(accepted.body()).path("id").asText();

      HttpResponse<String> shown = onB.get("/api/v1/pipelines/" + id, TOKEN);
      statuses.add(shown.statusCode());
      if (shown.statusCode() == 200) {
        assertThat(json(shown.body()).path("id").asText()).isEqualTo(id);
      }
      streams.add(streamStatus(onB, id));
    }
    assertThat(statuses).as("B's answers right after A's 202").containsOnly(200);
    assertThat(streams).as("B's event streams right after A's 202").containsOnly(200);

    HttpResponse<String> unknown = onB.get("/api/v1/pipelines/p-20260101-000000-deadbeef", TOKEN);
    assertThat(unknown.statusCode()).as("an id nobody accepted is still unknown").isEqualTo(404);
  }

  @Test
  @DisplayName("10 times: one Idempotency-Key sent to A and B at the same moment: one id in both answers, one"
      + " pipeline started")
  void oneKeyIsOnePipelineOnEveryGateway() throws Exception {
    ApiClient onA = new ApiClient(a.url());
    ApiClient onB = new ApiClient(b.url());
    String body = "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],\"targets\":\"all\"}";
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try (io.garden.common.kafka.EventTail events = new io.garden.common.kafka.EventTail(vertx,
        KafkaBroker.bootstrapServers(), io.garden.common.kafka.Topics.EVENTS)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String key = "same-" + UUID.randomUUID();
        var toA = java.util.concurrent.CompletableFuture.supplyAsync(() -> submit(onA, body, key));
        var toB = java.util.concurrent.CompletableFuture.supplyAsync(() -> submit(onB, body, key));
        HttpResponse<String> fromA = toA.join();
        HttpResponse<String> fromB = toB.join();
        assertThat(List.of(fromA.statusCode(), fromB.statusCode())).as(fromA.body() + fromB.body())
            .allSatisfy(status -> assertThat(status).isIn(200, 202));
        String id = json(fromA.body()).path("id").asText();
        assertThat(json(fromB.body()).path("id").asText()).isEqualTo(id);
        ids.add(id);
      }
      for (String id : ids) {
        events.awaitEvent(e -> id.equals(e.pipelineId()) && e.type().equals("pipeline.finished"));
      }
      for (String id : ids) {
        assertThat(events.envelopes().stream().filter(e -> id.equals(e.pipelineId())
            && e.type().equals("pipeline.started"))).as("pipelines started for " + id).hasSize(1);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static HttpResponse<String> submit(ApiClient client, String body, String key) {
    try {
      return client.submit(body, TOKEN, key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The status of {@code /api/v1/events?pipeline=ID}, read from its headers; the stream is then dropped. */
  private static int streamStatus(ApiClient client, String id) throws Exception {
    HttpResponse<java.io.InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(client.url("/api/v1/events?pipeline=" + id))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    response.body().close();
    return response.statusCode();
  }
}
