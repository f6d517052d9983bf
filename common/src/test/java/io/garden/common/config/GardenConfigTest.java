package io.garden.common.config;

import io.garden.common.kafka.TopicSettings;
import io.garden.common.model.Stage;
import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.common.store.S3ObjectStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GardenConfigTest {

  @Test
  @DisplayName("with an empty environment: embedded Kafka, replication 1, the default folder store")
  void defaults() {
    GardenConfig config = GardenConfig.fromEnv(Map.of("GARDEN_HOST", "h1"));

    assertThat(config.kafkaBootstrapServers()).isNull();
    assertThat(config.host()).isEqualTo("h1");
    assertThat(config.topics()).isEqualTo(TopicSettings.SINGLE_BROKER);
    assertThat(config.store(Stage.PROD).location()).isNull();
  }

  @Test
  @DisplayName("GARDEN_STORE_{STAGE} and AWS_PROFILE_{STAGE} override the general settings for that stage only")
  void perStageStores() {
    GardenConfig config = GardenConfig.fromEnv(Map.of(
        "GARDEN_STORE", "s3://garden-dev",
        "GARDEN_STORE_PROD", "s3://garden-prod/registry",
        "AWS_PROFILE", "dev-profile",
        "AWS_PROFILE_PROD", "prod-profile",
        "GARDEN_S3_PATH_STYLE", "true",
        "KAFKA_BOOTSTRAP_SERVERS", " kafka:9092 "));

    assertThat(config.kafkaBootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.store(Stage.DEV).location()).isEqualTo("s3://garden-dev");
    assertThat(config.store(Stage.DEV).awsProfile()).isEqualTo("dev-profile");
    assertThat(config.store(Stage.PROD).location()).isEqualTo("s3://garden-prod/registry");
    assertThat(config.store(Stage.PROD).awsProfile()).isEqualTo("prod-profile");
    assertThat(config.store(Stage.STAGE).s3PathStyle()).isTrue();
  }

  @Test
  @DisplayName("a bad replication factor is refused with the variable's name")
  void badReplication() {
    assertThatThrownBy(() -> GardenConfig.fromEnv(Map.of("GARDEN_TOPIC_REPLICATION", "three")))
        .hasMessageContaining("GARDEN_TOPIC_REPLICATION must be a positive whole number, was 'three'");
  }

  @Test
  @DisplayName("the store location picks the implementation: default folder under the repo, a path, or s3://")
  void opensTheNamedStore(@TempDir Path repo) {
    try (ObjectStore byDefault = ObjectStores.open(new StoreConfig(null, null, null, false, null), repo);
         ObjectStore folder = ObjectStores.open(new StoreConfig(repo.resolve("elsewhere").toString(),
             null, null, false, null), repo);
         ObjectStore s3 = ObjectStores.open(new StoreConfig("s3://bucket/prefix", "http://127.0.0.1:1",
             "eu-west-1", true, null), repo)) {
      assertThat(ObjectStores.unwrap(byDefault)).isInstanceOf(FileObjectStore.class);
      assertThat(((FileObjectStore) ObjectStores.unwrap(byDefault)).root()).isEqualTo(repo.resolve(".garden/store").toAbsolutePath());
      assertThat(folder.describe()).contains("elsewhere");
      assertThat(ObjectStores.unwrap(s3)).isInstanceOf(S3ObjectStore.class);
      assertThat(s3.describe()).isEqualTo("S3 store s3://bucket/prefix at http://127.0.0.1:1");
    }
  }
}
