package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineRequested;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.garden.gateway.testing.RunningGateway;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over the connection cap a request is answered 503 and never dispatched: every client gets an answer, and exactly
 * the pipelines whose requests got a 202 run (no ghosts: before, a request on a connection closed over the cap still
 * went through the router and its pipeline ran while its client got nothing).
 */
@ExtendWith(KafkaBroker.class)
class NoGhostsIT {

  private static final EventCodec CODEC = EventCodec.shared();

  @TempDir
  static Path temp;

  private static RunningGateway gateway;
  private static EventTail events;
  private static String runner;
  private static Path repo;

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    CredentialFile credentials = new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC());
    runner = credentials.create("runner", EnumSet.of(Role.RUN));
    gateway = RunningGateway.withFakeWorkers(Map.of("GARDEN_API_TOKENS_FILE", credentials.path().toString(),
        "GARDEN_ALLOWED_PATHS", repo.toString(), "GARDEN_MAX_CONNECTIONS", "2",
        "GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "100"), temp.resolve("store"));
    events = gateway.events();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @DisplayName("30 concurrent requests through a cap of 2: each client gets 202 or 503, and exactly the 202s run")
  void everyClientIsAnsweredAndOnlyAnswersRun() throws Exception {
    String marker = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // A client of its own each: a connection of its own each, as 30 callers would have.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/pipelines"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + runner)
          .header("X-Request-Id", marker).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":"
              + "[\"validate\"],\"targets\":\"all\"}", StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    Set<String> accepted = new java.util.HashSet<>();
    for (CompletableFuture<HttpResponse<String>> answer : sent) {
      HttpResponse<String> response = answer.get();
      statuses.add(response.statusCode());
      if (response.statusCode() == 202) {
        accepted.add(json(response.body()).path("id").asText());
      } else {
        assertThat(response.headers().firstValue("Retry-After")).as(response.body()).isPresent();
      }
    }

    assertThat(statuses).as("every client got an answer: 202 or 503").containsOnly(202, 503).contains(202);
    accepted.forEach(id -> events.awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class)));
    Set<String> ran = events.envelopes().stream().filter(e -> marker.equals(e.correlationId())
        && EventTypes.is(e, PipelineRequested.class)).map(e -> e.pipelineId()).collect(Collectors.toSet());
    assertThat(ran).as("exactly the pipelines whose requests got a 202").isEqualTo(accepted);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(gateway.url() + "/health")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));
  }

  private static JsonNode json(String body) {
    return io.garden.gateway.testing.ApiClient.json(body);
  }
}
