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
  @DisplayName("doctor names each part that is down with its fix, and the exit code says which parts")
  void everyFailingPartHasItsBit() {
    CliRun run = CliRun.of(Map.of("GARDEN_HOST", "it", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
        "DOCKER_HOST", "unix://" + repo.resolve("no.sock"), "GARDEN_IMAGE_REGISTRY", "localhost:1"),
        "doctor", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(16 + 1 + 2 + 4);
    assertThat(run.out()).contains("FAIL kafka             127.0.0.1:1 did not answer")
        .contains("FAIL container engine  no container engine at DOCKER_HOST=")
        .contains("FAIL image registry    nothing answers at http://localhost:1/v2/")
        .contains("OK   object store")
        .doesNotContain("Exception");
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
}
