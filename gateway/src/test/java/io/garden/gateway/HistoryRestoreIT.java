package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.RestorePoints;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import io.garden.gateway.testing.RunningGateway;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted gateway replays only from its restore points, keeps a bounded window of finished pipelines in memory,
 * and still answers for every pipeline by id (from the archive): the real gateway service on a real broker.
 */
@ExtendWith(KafkaBroker.class)
class HistoryRestoreIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String TOKEN = "history-it-token";
  private static final int RECENT = 2;

  @TempDir
  static Path temp;

  private static Path repo;
  private static Path store;
  private static RunningGateway gateway;
  private static EventTail events;

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    store = temp.resolve("store");
    gateway = RunningGateway.withFakeWorkers(Map.of(
        "GARDEN_API_TOKEN", TOKEN,
        "GARDEN_ALLOWED_PATHS", repo.toString(),
        "GARDEN_RESTORE_POINT_SECONDS", "1",
        "GARDEN_RECENT_PIPELINES", Integer.toString(RECENT)), store);
    events = gateway.events();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @DisplayName("restart with history keeps every pipeline queryable by id, with only the recent ones in memory")
  void restartWithHistoryKeepsEveryPipelineQueryableById() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> posted = post(request());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      String id = json(posted.body()).path("id").asText();
      events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
      ids.add(id);
    }
    Map<String, JsonNode> before = new LinkedHashMap<>();
    for (String id : ids) {
      before.put(id, json(get("/api/v1/pipelines/" + id).body()));
    }
    List<String> old = ids.subList(0, ids.size() - RECENT);
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "history-it", "it").admin())) {
      // Both restore points move past the old pipelines (archived, out of the window), in bounded time.
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Map<Integer, Long> views = RestorePoints.read(admin, GatewayVerticle.RESTORE_POINT);
        Map<Integer, Long> coordinator = RestorePoints.read(admin, CoordinatorVerticle.RESTORE_POINT);
        for (String id : old) {
          KafkaConsumerRecord<String, byte[]> first = firstRecord(id);
          assertThat(views.getOrDefault(first.partition(), 0L)).as("views past " + id).isGreaterThan(first.offset());
          assertThat(coordinator.getOrDefault(first.partition(), 0L)).as("coordinator past " + id)
              .isGreaterThan(first.offset());
        }
      });
    }
    old.forEach(id -> assertThat(store.resolve("pipelines/" + id + ".json")).as(id).exists());

    gateway.restart(CoordinatorVerticle.GROUP);
    gateway.restartServer();

    for (String id : ids) {
      HttpResponse<String> shown = get("/api/v1/pipelines/" + id);
      assertThat(shown.statusCode()).as(id + ": " + shown.body()).isEqualTo(200);
      assertThat(json(shown.body())).as(id).isEqualTo(before.get(id));
    }
    List<String> inMemory = new ArrayList<>();
    json(get("/api/v1/pipelines?limit=1000").body()).path("pipelines")
        .forEach(p -> inMemory.add(p.path("id").asText()));
    assertThat(inMemory).containsAll(ids.subList(ids.size() - RECENT, ids.size())).doesNotContainAnyElementsOf(old);

    // An archived pipeline is still a pipeline: it cannot be cancelled, and its id cannot be used again.
    assertThat(delete("/api/v1/pipelines/" + old.get(0)).statusCode()).isEqualTo(409);
    HttpResponse<String> reused = post(request().replaceFirst("\\{", "{\"pipelineId\":\"" + old.get(0) + "\","));
    assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
    assertThat(get("/api/v1/pipelines/p-never-was").statusCode()).isEqualTo(404);

    // The restarted coordinator runs new work.
    String next = json(post(request()).body()).path("id").asText();
    events.awaitEvent(e -> next.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    assertThat(json(get("/api/v1/pipelines/" + next).body()).path("state").asText()).isEqualTo("succeeded");
  }

  private static KafkaConsumerRecord<String, byte[]> firstRecord(String id) {
    return events.records().stream().filter(r -> id.equals(CODEC.decode(r.value()).pipelineId())
            && (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("pipeline.requested")))
        .findFirst().orElseThrow();
  }

  private static String request() {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],\"targets\":\"all\"}";
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("Authorization", "Bearer "
        + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> delete(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("Authorization", "Bearer "
        + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/pipelines"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String body) {
    try {
      return CODEC.mapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
