package io.garden.gateway;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.Topics;
import io.garden.gateway.testing.RunningGateway;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A deployment's gateway plans image steps by whether a build worker is there, not by its own machine's engine. */
@ExtendWith(KafkaBroker.class)
class BuildWorkersIT {

  private static final EventCodec CODEC = EventCodec.shared();

  @TempDir
  Path temp;

  @Test
  @DisplayName("with no build worker in the cluster, a ci-pipeline waits the bounded time, then fails saying what to"
      + " start; it does not silently skip build, test and push")
  void noBuildWorkerFailsClearly() throws Exception {
    Path repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("GARDEN_API_TOKEN", "it-token");
    env.put("GARDEN_ALLOWED_PATHS", repo.toString());
    env.put("GARDEN_BUILD_WORKER_WAIT_SECONDS", "1");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    Vertx vertx = Vertx.vertx();
    try (RunningGateway gateway = RunningGateway.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .withBind(GatewayConfig.LOOPBACK), KafkaBroker.bootstrapServers());
         EventTail events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS)) {
      HttpResponse<String> submitted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(gateway.url() + "/api/v1/pipelines")).header("Authorization", "Bearer it-token")
          .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":"
              + "[\"ci-pipeline\"]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      String id = CODEC.mapper().readTree(submitted.body()).path("id").asText();

      PipelineFinished finished = CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
          && EventTypes.is(e, PipelineFinished.class)), PipelineFinished.class);

      assertThat(finished.state()).isEqualTo(PipelineFinished.State.FAILED);
      assertThat(finished.reason()).contains("no build worker is running", "garden worker build");
    } finally {
      vertx.close().await();
    }
  }
}
