package io.garden.gateway;

import io.garden.common.ExamplesRepo;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineRequested;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.gateway.testing.ApiClient;
import io.garden.gateway.testing.FakeWorkers;
import io.garden.gateway.testing.GatewayProcess;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateways as a deployment runs them: each in a process of its own, sharing nothing but the broker and the stores,
 * behind a load balancer that sends any request to any of them. A and B take and answer pipelines, C has a
 * connection cap of 2; the workers are stand-ins in this JVM.
 */
@ExtendWith(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayProcessesIT {

  private static final String TOKEN = "procs-" + UUID.randomUUID();

  @TempDir
  static Path temp;

  private static GatewayProcess a;
  private static GatewayProcess b;
  private static GatewayProcess capped;
  private static Vertx vertx;
  private static FakeWorkers workers;
  private static EventTail events;
  private static Path repo;

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> settings = Map.of("GARDEN_API_TOKEN", TOKEN, "GARDEN_ALLOWED_PATHS", repo.toString(),
        "GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "100");
    Map<String, String> cap = new HashMap<>(settings);
    cap.put("GARDEN_MAX_CONNECTIONS", "2");
    a = GatewayProcess.start("it-a", settings, temp);
    b = GatewayProcess.start("it-b", settings, temp);
    capped = GatewayProcess.start("it-capped", cap, temp);
    vertx = Vertx.vertx();
    workers = FakeWorkers.start(vertx, KafkaBroker.bootstrapServers());
    events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS);
    Stream.of(a, b, capped).forEach(GatewayProcess::awaitReady);
  }

  @AfterAll
  static void stop() {
    Stream.of(a, b, capped).filter(g -> g != null).forEach(GatewayProcess::close);
    if (events != null) {
      events.close();
      workers.close();
      vertx.close().await();
    }
  }

  private static String body() {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],\"targets\":\"all\"}";
  }

  @Test
  @Order(1)
  @DisplayName("30 concurrent requests through a cap of 2: each client gets 202 or 503, and exactly the 202s run")
  void everyClientIsAnsweredAndOnlyAnswersRun() throws Exception {
    String marker = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // A client of its own each: a connection of its own each, as 30 callers would have.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create(capped.url() + "/api/v1/pipelines"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
          .header("X-Request-Id", marker).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body(), StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    Set<String> accepted = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> answer : sent) {
      HttpResponse<String> response = answer.get();
      statuses.add(response.statusCode());
      if (response.statusCode() == 202) {
        accepted.add(ApiClient.json(response.body()).path("id").asText());
      } else {
        assertThat(response.headers().firstValue("Retry-After")).as(response.body()).isPresent();
      }
    }

    assertThat(statuses).as("every client got an answer: 202 or 503").containsOnly(202, 503).contains(202, 503);
    accepted.forEach(id -> events.awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class)));
    Set<String> ran = events.envelopes().stream().filter(e -> marker.equals(e.correlationId())
        && EventTypes.is(e, PipelineRequested.class)).map(e -> e.pipelineId()).collect(Collectors.toSet());
    assertThat(ran).as("exactly the pipelines whose requests got a 202").isEqualTo(accepted);
  }

  @Test
  @Order(2)
  @DisplayName("20 times: accepted by A, asked of B at once: B shows it (200), and its event stream opens")
  void theOtherGatewayAnswersAtOnce() throws Exception {
    ApiClient onA = new ApiClient(a.url());
    ApiClient onB = new ApiClient(b.url());
    List<Integer> statuses = new ArrayList<>();
    List<Integer> streams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> accepted = onA.submit(body(), TOKEN, null);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String id = ApiClient.json(accepted.body()).path("id").asText();

      HttpResponse<String> shown = onB.get("/api/v1/pipelines/" + id, TOKEN);
      statuses.add(shown.statusCode());
      if (shown.statusCode() == 200) {
        assertThat(ApiClient.json(shown.body()).path("id").asText()).isEqualTo(id);
      }
      streams.add(streamStatus(onB, id));
    }
    assertThat(statuses).as("B's answers right after A's 202").containsOnly(200);
    assertThat(streams).as("B's event streams right after A's 202").containsOnly(200);

    HttpResponse<String> unknown = onB.get("/api/v1/pipelines/p-20260101-000000-deadbeef", TOKEN);
    assertThat(unknown.statusCode()).as("an id nobody accepted is still unknown").isEqualTo(404);
  }

  @Test
  @Order(3)
  @DisplayName("10 times: one Idempotency-Key sent to A and B at the same moment: one id in both answers, one"
      + " pipeline started")
  void oneKeyIsOnePipelineOnEveryGateway() {
    ApiClient onA = new ApiClient(a.url());
    ApiClient onB = new ApiClient(b.url());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String key = "same-" + UUID.randomUUID();
      var toA = CompletableFuture.supplyAsync(() -> submit(onA, key));
      var toB = CompletableFuture.supplyAsync(() -> submit(onB, key));
      HttpResponse<String> fromA = toA.join();
      HttpResponse<String> fromB = toB.join();
      assertThat(List.of(fromA.statusCode(), fromB.statusCode())).as(fromA.body() + fromB.body())
          .allSatisfy(status -> assertThat(status).isIn(200, 202));
      String id = ApiClient.json(fromA.body()).path("id").asText();
      assertThat(ApiClient.json(fromB.body()).path("id").asText()).isEqualTo(id);
      ids.add(id);
    }
    for (String id : ids) {
      events.awaitEvent(e -> id.equals(e.pipelineId()) && EventTypes.is(e, PipelineFinished.class));
    }
    for (String id : ids) {
      assertThat(events.envelopes().stream().filter(e -> id.equals(e.pipelineId())
          && e.type().equals("pipeline.started"))).as("pipelines started for " + id).hasSize(1);
    }
  }

  @Test
  @Order(4)
  @DisplayName("a gateway restarted on a long audit stream answers /health while it catches up, and its API 503"
      + " \"catching up\" with Retry-After until /ready says 200")
  void aRestartedGatewayListensWhileItCatchesUp() throws Exception {
    // The others are done: they would read the history live at the same time, on the same two cores.
    Stream.of(a, capped).forEach(GatewayProcess::close);
    writeHistory(150_000);
    List<String> answers = new CopyOnWriteArrayList<>();
    boolean healthyBeforeReady = false;
    try {
      long restarted = System.nanoTime();
      b.restart();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .failFast("the restarted gateway ended; its log:\n" + b.log(), () -> !b.alive())
          .until(() -> b.status("/health") == 200);
      System.out.printf("restarted gateway: /health 200 after %d ms (JVM start included)%n",
          (System.nanoTime() - restarted) / 1_000_000);
      healthyBeforeReady = b.status("/ready") == 503;
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
        Optional<HttpResponse<String>> answer = b.get("/api/v1/pipelines");
        answer.ifPresent(r -> answers.add(r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-")
            + " " + r.body()));
        return answer.isPresent() && answer.get().statusCode() != 503;
      });
    } finally {
      forgetHistory();
    }
    assertThat(healthyBeforeReady).as("/health is 200 while /ready still says 503").isTrue();
    assertThat(answers.get(0)).as("the first answer of the API, while it reads 150,000 events of history")
        .startsWith("503 5 ").contains("catching up with the audit stream");
    assertThat(answers.get(answers.size() - 1)).as("once caught up, the API is the API").startsWith("401");
    b.awaitReady();
  }

  private static HttpResponse<String> submit(ApiClient client, String key) {
    try {
      return client.submit(body(), TOKEN, key);
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

  /** Events of pipelines nobody asks about, as a busy day leaves them on the audit stream. */
  private static void writeHistory(int count) {
    Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers(),
        "linger.ms", "20", "batch.size", "262144"));
    try (KafkaProducer<String, byte[]> history = new KafkaProducer<>(producer, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String id = "p-history-" + i;
        history.send(new ProducerRecord<>(Topics.EVENTS, id, EventCodec.shared().encode(new AccessDecided("api:it",
            AccessAction.RUN, "dev", true, "history", "api", "all"), new EventContext(id, id, "api:it", "it"))));
      }
      history.flush();
    }
  }

  /**
   * The broker is shared by the ITs of this JVM: the history is deleted again, so that the gateways the next tests
   * start do not read it all first.
   */
  private static void forgetHistory() throws Exception {
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it-forget", "it").admin())) {
      List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
          .get(Topics.EVENTS).partitions().stream().map(p -> new TopicPartition(Topics.EVENTS, p.partition()))
          .toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, end) -> before.put(tp,
          RecordsToDelete.beforeOffset(end.offset())));
      admin.deleteRecords(before).all().get();
    }
  }
}
