package io.garden.common.config;

import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OldToolchainSettingsTest {

  @TempDir
  Path repo;

  @Test
  @DisplayName("the old .env gives the stores and buckets, under the real environment; the old bucket names are"
      + " garden's per-stage stores")
  void dotEnvAndBuckets() throws Exception {
    Files.writeString(repo.resolve(".env"), """
        # the old toolchain's settings
        export KAMIWAZA_REGISTRY_BUCKET=garden-dev
        KAMIWAZA_REGISTRY_BUCKET_PROD="garden-prod"
        AWS_PROFILE=from-file   # a comment
        """);

    OldToolchainSettings.Applied applied = OldToolchainSettings.apply(Map.of("AWS_PROFILE", "from-env"), repo);

    assertThat(applied.env()).containsEntry("GARDEN_STORE_DEV", "s3://garden-dev")
        .containsEntry("GARDEN_STORE_PROD", "s3://garden-prod").containsEntry("AWS_PROFILE", "from-env");
    GardenConfig config = GardenConfig.fromEnv(applied.env());
    assertThat(config.store(Stage.PROD).location()).isEqualTo("s3://garden-prod");
    assertThat(config.store(Stage.PROD).place()).isNull();
    assertThat(applied.ignored()).isEmpty();
  }

  @Test
  @DisplayName("a repository's .env cannot point garden at another gateway, cluster or engine, nor give it a token:"
      + " those are named and left out")
  void hostileDotEnvIsNotRead() throws Exception {
    Files.writeString(repo.resolve(".env"), "GARDEN_URL=https://evil.example\nGARDEN_API_TOKEN=x\n"
        + "DOCKER_HOST=tcp://evil.example:2375\nKAFKA_BOOTSTRAP_SERVERS=evil:9092\nGARDEN_STORE=/tmp/s\n");

    OldToolchainSettings.Applied applied = OldToolchainSettings.apply(Map.of(), repo);

    assertThat(applied.env()).containsOnlyKeys("GARDEN_STORE");
    assertThat(applied.ignored()).containsExactly("GARDEN_URL", "GARDEN_API_TOKEN", "DOCKER_HOST",
        "KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  @DisplayName("one stage named by both spellings, differently, is refused; a line that is not KEY=VALUE is named")
  void conflictsAndBadLines() throws Exception {
    assertThatThrownBy(() -> OldToolchainSettings.apply(Map.of("KAMIWAZA_REGISTRY_BUCKET_PROD", "a",
        "GARDEN_STORE_PROD", "s3://b"), repo)).hasMessageContaining("different stores for one stage");
    Files.writeString(repo.resolve(".env"), "GARDEN_STORE=/x\nthis is not a setting\n");
    assertThatThrownBy(() -> OldToolchainSettings.apply(Map.of(), repo)).hasMessageContaining(".env:2: not"
        + " KEY=VALUE");
  }

  @Test
  @DisplayName("the old endpoint, region and account id reach the stores, from .env or the environment: an R2 or"
      + " MinIO bucket is never looked for on AWS")
  void oldEndpointsRegionsAndAccounts() throws Exception {
    Files.writeString(repo.resolve(".env"), """
        KAMIWAZA_REGISTRY_BUCKET=garden-dev
        KAMIWAZA_REGISTRY_ENDPOINT=http://127.0.0.1:9000
        KAMIWAZA_REGISTRY_REGION=eu-west-1
        KAMIWAZA_REGISTRY_BUCKET_PROD=garden-prod
        KAMIWAZA_REGISTRY_ACCOUNT_ID_PROD=0123abcd
        """);

    GardenConfig config = GardenConfig.fromEnv(OldToolchainSettings.apply(Map.of(), repo).env());

    assertThat(config.store(Stage.DEV).s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(config.store(Stage.DEV).s3Region()).isEqualTo("eu-west-1");
    assertThat(config.store(Stage.DEV).s3PathStyle()).isTrue();
    assertThat(config.store(Stage.PROD).s3Endpoint()).isEqualTo("https://0123abcd.r2.cloudflarestorage.com");
    assertThat(config.store(Stage.PROD).s3Region()).isEqualTo("auto");
    assertThat(OldToolchainSettings.apply(Map.of("KAMIWAZA_REGISTRY_ENDPOINT", "http://minio:9000"), repo).env())
        .as("the environment wins over .env").containsEntry("GARDEN_S3_ENDPOINT", "http://minio:9000");
    assertThatThrownBy(() -> OldToolchainSettings.apply(Map.of("GARDEN_S3_ENDPOINT", "http://other:9000"), repo))
        .hasMessageContaining("keep one of them");
  }
}
