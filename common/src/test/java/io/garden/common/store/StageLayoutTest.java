package io.garden.common.store;

import io.garden.common.config.GardenConfig;
import io.garden.common.config.StoreConfig;
import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageLayoutTest {

  @TempDir
  Path temp;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("with one shared store, each stage has its own place in it: what dev publishes, prod does not see")
  void stagesAreIsolatedByDefault() {
    GardenConfig config = GardenConfig.fromEnv(Map.of("GARDEN_STORE", temp.resolve("shared").toString()));
    try (ObjectStore dev = ObjectStores.open(config.store(Stage.DEV), temp);
         ObjectStore prod = ObjectStores.open(config.store(Stage.PROD), temp)) {
      dev.put("garden/v2/apps.json", bytes("[\"dev\"]"));

      assertThat(prod.get("garden/v2/apps.json")).isEmpty();
      assertThat(temp.resolve("shared/dev/garden/v2/apps.json")).isRegularFile();
      assertThat(dev.describe()).contains("shared/dev");
      assertThat(prod.describe()).contains("shared/prod");
    }
  }

  @Test
  @DisplayName("the default folder is shared the same way, and a stage's own GARDEN_STORE_{STAGE} is used as it is")
  void defaultFolderAndOwnStores() {
    GardenConfig config = GardenConfig.fromEnv(Map.of("GARDEN_STORE_PROD", temp.resolve("prod-bucket").toString()));
    assertThat(config.store(Stage.DEV).place()).isEqualTo("dev");
    assertThat(config.store(Stage.PROD).place()).isNull();
    try (ObjectStore dev = ObjectStores.open(config.store(Stage.DEV), temp.resolve("repo"));
         ObjectStore prod = ObjectStores.open(config.store(Stage.PROD), temp.resolve("repo"))) {
      assertThat(((FileObjectStore) ObjectStores.unwrap(dev)).root()).isEqualTo(temp.resolve("repo/.garden/store/dev").toAbsolutePath());
      assertThat(((FileObjectStore) ObjectStores.unwrap(prod)).root()).isEqualTo(temp.resolve("prod-bucket").toAbsolutePath());
    }
    assertThat(config.withStoreDefault(temp.resolve("data")).store(Stage.STAGE).place()).isEqualTo("stage");
  }

  @Test
  @DisplayName("an S3 store's stage places are prefixes under its own prefix")
  void s3Places() {
    StoreConfig dev = StoreConfig.fromEnv(Map.of("GARDEN_STORE", "s3://bucket/registry/",
        "GARDEN_S3_ENDPOINT", "http://127.0.0.1:1"), Stage.DEV);
    try (ObjectStore store = ObjectStores.openAt(dev, temp)) {
      assertThat(store.describe()).isEqualTo("S3 store s3://bucket/registry/dev at http://127.0.0.1:1");
    }
  }

  @Test
  @DisplayName("a shared store of the old layout (a registry at its top) is refused for every stage, naming the"
      + " command that moves it; after migrate-store the stage finds its registry")
  void oldLayoutIsRefusedThenMigrated() {
    Path shared = temp.resolve("shared");
    try (ObjectStore top = new FileObjectStore(shared)) {
      top.put("garden/v2/apps.json", bytes("[\"old\"]"));
      top.put("backups/dev/20261101-000000/garden/v2/apps.json", bytes("[]"));
    }
    GardenConfig config = GardenConfig.fromEnv(Map.of("GARDEN_STORE", shared.toString()));
    for (Stage stage : Stage.values()) {
      assertThatThrownBy(() -> ObjectStores.open(config.store(stage), temp))
          .hasMessageContaining("holds a registry at its top").hasMessageContaining("garden migrate-store --to");
    }

    List<String> said = new ArrayList<>();
    try (ObjectStore top = ObjectStores.openAt(config.store(Stage.DEV).shared(), temp)) {
      assertThat(StageLayout.migrate(top, Stage.DEV, said::add)).isEqualTo(2);
      assertThat(StageLayout.migrate(top, Stage.DEV, said::add)).as("run again: nothing left").isZero();
    }
    try (ObjectStore dev = ObjectStores.open(config.store(Stage.DEV), temp);
         ObjectStore prod = ObjectStores.open(config.store(Stage.PROD), temp)) {
      assertThat(new String(dev.get("garden/v2/apps.json").orElseThrow().body(), StandardCharsets.UTF_8))
          .isEqualTo("[\"old\"]");
      assertThat(prod.get("garden/v2/apps.json")).isEmpty();
    }
    assertThat(said.get(said.size() - 1)).startsWith("nothing to move");
  }
}
