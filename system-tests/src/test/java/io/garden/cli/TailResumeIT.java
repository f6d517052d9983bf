package io.garden.cli;

import io.garden.cli.remote.GatewayClient;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.testing.RunningGateway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client following a pipeline rides out a gateway restart: it reconnects and resumes where it was. */
@ExtendWith(KafkaBroker.class)
class TailResumeIT {

  private static final EventCodec CODEC = EventCodec.shared();

  @TempDir
  Path temp;

  @Test
  @DisplayName("following a pipeline across a gateway restart: reconnects, says so, misses and repeats nothing")
  void followRidesOutARestart() throws Exception {
    Path repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    String token = "tail-" + UUID.randomUUID();
    try (RunningGateway gateway = RunningGateway.withFakeWorkers(Map.of("GARDEN_API_TOKEN", token,
        "GARDEN_ALLOWED_PATHS", repo.toString()), temp.resolve("store"))) {
      gateway.workers().registryAway();
      List<String> notices = new CopyOnWriteArrayList<>();
      GatewayClient client = new GatewayClient(gateway.url(), token).onReconnect(notices::add);
      String id = client.submit(CODEC.mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},"
          + "\"steps\":[\"ci-pipeline\"],\"targets\":\"all\"}"));
      List<Envelope> seen = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> following = CompletableFuture.runAsync(() -> client.follow("pipeline=" + id, e -> {
        seen.add(e);
        return EventTypes.is(e, PipelineFinished.class);
      }));
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream().anyMatch(e -> EventTypes.is(e,
          StepStarted.class) && CODEC.payload(e, StepStarted.class).step() == StepName.BUILD_REGISTRY));

      gateway.restartServer();
      gateway.workers().registryBack();

      following.get(90, TimeUnit.SECONDS);
      assertThat(notices).as("it said it lost the stream").isNotEmpty()
          .allMatch(n -> n.contains("reconnecting"));
      assertThat(seen.get(seen.size() - 1).type()).isEqualTo("pipeline.finished");
      assertThat(seen).extracting(Envelope::id).doesNotHaveDuplicates();
    }
  }
}
