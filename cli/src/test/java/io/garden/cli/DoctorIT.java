package io.garden.cli;

import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaBroker.class)
class DoctorIT {

  @TempDir
  Path repo;

  @Test
  @DisplayName("a shared store still holding a registry of the old layout fails doctor with migrate-store, though no"
      + " stage has its place in it yet (every publish would refuse it)")
  void anOldLayoutStoreFails() throws Exception {
    Path store = repo.resolve("old-store");
    java.nio.file.Files.createDirectories(store.resolve("garden/v2"));
    java.nio.file.Files.writeString(store.resolve("garden/v2/apps.json"), "[]");

    CliRun run = CliRun.of(Map.of("GARDEN_HOST", "it", "GARDEN_STORE", store.toString(), "KAFKA_BOOTSTRAP_SERVERS",
        KafkaBroker.bootstrapServers(), "DOCKER_HOST", "unix://" + repo.resolve("no.sock")),
        "doctor", "--repo", repo.toString());

    assertThat(run.exitCode() & 8).as(run.out()).isEqualTo(8);
    assertThat(run.out()).contains("FAIL object store      store for dev: ").contains("garden migrate-store --to");
    assertThat(store.resolve("dev")).as("looking creates nothing").doesNotExist();
  }

  @Test
  @DisplayName("doctor names each part that is down with its fix, and the exit code says which parts")
  void everyFailingPartHasItsBit() {
    CliRun run = CliRun.of(Map.of("GARDEN_HOST", "it", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
        "DOCKER_HOST", "unix://" + repo.resolve("no.sock"), "GARDEN_IMAGE_REGISTRY", "localhost:1"),
        "doctor", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(16 + 1 + 2 + 4);
    assertThat(run.out()).contains("FAIL kafka             127.0.0.1:1 did not answer")
        .contains("FAIL container engine  no container engine at DOCKER_HOST=")
        .contains("FAIL image registry    nothing answers at http://localhost:1/v2/")
        .contains("SKIP object store")
        .doesNotContain("Exception");
    assertThat(repo.resolve(".garden")).as("looking creates nothing").doesNotExist();
    assertThat(run.out().lines().filter(l -> l.startsWith("     fix: "))).hasSize(3);
  }

  @Test
  @DisplayName("doctor passes Kafka when the cluster has every topic and a one-partition publish topic")
  void healthyKafkaPasses() {
    try (Admin admin = Admin.create(new KafkaSettings(KafkaBroker.bootstrapServers(), "it", "it").admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    CliRun run = CliRun.of(Map.of("GARDEN_HOST", "it", "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers(),
        "DOCKER_HOST", "unix://" + repo.resolve("no.sock")), "doctor", "--repo", repo.toString());

    assertThat(run.out()).contains("OK   kafka").contains("publish topic with 1 partition");
    assertThat(run.exitCode()).isEqualTo(16 + 2);
  }

  @Test
  @DisplayName("doctor asks the gateway GARDEN_URL names (ready, and our credential taken), and --format json keeps"
      + " its fields in order")
  void gatewayIsCheckedAndJsonIsStable() throws Exception {
    String token = "doctor-" + java.util.UUID.randomUUID();
    try (io.garden.gateway.testing.RunningGateway gateway = io.garden.gateway.testing.RunningGateway.withFakeWorkers(
        Map.of("GARDEN_API_TOKEN", token), repo.resolve("gateway-store"))) {
      Map<String, String> env = Map.of("GARDEN_HOST", "it", "GARDEN_URL", gateway.url(), "GARDEN_API_TOKEN", token,
          "DOCKER_HOST", "unix://" + repo.resolve("no.sock"));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
          CliRun.of(env, "doctor", "--repo", repo.toString()).out().contains("OK   gateway"));
      CliRun wrongToken = CliRun.of(Map.of("GARDEN_HOST", "it", "GARDEN_URL", gateway.url(), "GARDEN_API_TOKEN",
          "not-it", "DOCKER_HOST", "unix://" + repo.resolve("no.sock")), "doctor", "--repo", repo.toString());
      CliRun json = CliRun.of(env, "doctor", "--repo", repo.toString(), "--format", "json");

      assertThat(wrongToken.out()).contains("FAIL gateway").contains("refuses this credential");
      assertThat(wrongToken.exitCode() & 32).isEqualTo(32);
      com.fasterxml.jackson.databind.JsonNode found = io.garden.common.event.EventCodec.shared().mapper()
          .readTree(json.out());
      assertThat(found.path("findings").get(0).fieldNames()).toIterable()
          .containsExactly("part", "status", "detail", "fix");
      assertThat(found.path("findings").get(0).path("part").asText()).isEqualTo("gateway");
      assertThat(found.path("findings").get(0).path("status").asText()).isEqualTo("OK");
      assertThat(found.path("exitCode").asInt()).isEqualTo(json.exitCode());

      // Under GARDEN_URL the deployment is the gateway's: its build workers, not this machine's missing engine.
      CliRun remote = CliRun.of(env, "doctor", "--repo", repo.toString());
      assertThat(remote.out()).contains("OK   container engine  gateway: 1 build worker(s) present")
          .contains("object store      gateway: ").doesNotContain("no container engine at DOCKER_HOST");
      assertThat(remote.exitCode() & 2).as(remote.out()).isZero();
      assertThat(repo.resolve(".garden")).as("nothing on this machine was opened").doesNotExist();
    }
    CliRun away = CliRun.of(Map.of("GARDEN_HOST", "it", "GARDEN_URL", "http://127.0.0.1:1",
        "DOCKER_HOST", "unix://" + repo.resolve("no.sock")), "doctor", "--repo", repo.toString());
    assertThat(away.out()).contains("FAIL gateway           nothing answers at GARDEN_URL=http://127.0.0.1:1");
  }
}
