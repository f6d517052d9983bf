package io.garden.gateway;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.kafka.Topics;
import io.garden.gateway.testing.RunningGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway that starts with history to read listens at once: while it catches up with the audit stream, the API
 * answers 503 "catching up" (with Retry-After) and /ready says why, instead of refusing connections.
 */
@ExtendWith(KafkaBroker.class)
class CatchingUpIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path temp;

  @Test
  @DisplayName("with a long audit stream to read, the port answers before the gateway is ready: 503 catching up")
  void answersWhileCatchingUp() throws Exception {
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it-topics", "it").admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers(),
        "linger.ms", "20", "batch.size", "262144"));
    try (KafkaProducer<String, byte[]> history = new KafkaProducer<>(producer, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < 150_000; i++) {
        String id = "p-history-" + i;
        history.send(new ProducerRecord<>(Topics.EVENTS, id, EventCodec.shared().encode(new AccessDecided("api:it",
            AccessAction.RUN, "dev", true, "history", "api", "all"), new EventContext(id, id, "api:it", "it"))));
      }
      history.flush();
    }
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new LinkedHashMap<>(Map.of("GARDEN_API_TOKEN", "it-" + UUID.randomUUID(),
        "GARDEN_HOST", "it-catchup", "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers()));
    GatewayConfig config = GatewayConfig.fromEnv(env).withPort(port).withBind(GatewayConfig.LOOPBACK);
    CompletableFuture<RunningGateway> starting = CompletableFuture.supplyAsync(() -> RunningGateway.start(env,
        GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store")), config, KafkaBroker.bootstrapServers()));
    List<String> answers = new CopyOnWriteArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
        try {
          HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/api/v1/pipelines")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          answers.add(answer.statusCode() + " " + answer.headers().firstValue("Retry-After").orElse("-") + " "
              + answer.body());
          return answer.statusCode() != 503;
        } catch (ConnectException notYet) {
          return false;
        }
      });
      assertThat(answers.get(0)).as("the first answer, while it reads 150,000 events of history")
          .startsWith("503 5 ").contains("catching up with the audit stream");
      assertThat(answers.get(answers.size() - 1)).as("once caught up, the API is the API").startsWith("401");
    } finally {
      starting.get(60, TimeUnit.SECONDS).close();
      forgetHistory();
    }
  }

  /**
   * The broker is shared by the ITs of this JVM: the 150,000 events are deleted again, so that the gateways the next
   * tests start do not read them all first.
   */
  private static void forgetHistory() throws Exception {
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it-forget", "it").admin())) {
      List<org.apache.kafka.common.TopicPartition> partitions = admin.describeTopics(List.of(Topics.EVENTS))
          .allTopicNames().get().get(Topics.EVENTS).partitions().stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(Topics.EVENTS, p.partition())).toList();
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> before =
          new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, end) -> before.put(tp,
          org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end.offset())));
      admin.deleteRecords(before).all().get();
    }
  }
}
