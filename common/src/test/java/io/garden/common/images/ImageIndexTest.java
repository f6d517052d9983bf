package io.garden.common.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import io.garden.common.platform.Platform;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageIndexTest {

  private static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";

  @Test
  @DisplayName("an index names each child's media type, digest, size and platform; the same children, the same bytes")
  void indexOfChildren() throws Exception {
    List<ImageRegistryApi.Child> children = List.of(
        new ImageRegistryApi.Child(new ImageRegistryApi.Descriptor(DOCKER, "sha256:" + "a".repeat(64), 588),
            Platform.parse("linux/amd64")),
        new ImageRegistryApi.Child(new ImageRegistryApi.Descriptor(DOCKER, "sha256:" + "b".repeat(64), 590),
            Platform.parse("linux/arm/v7")));

    byte[] bytes = ImageIndex.json(children);
    JsonNode index = Json.events().readTree(bytes);

    assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.path("mediaType").asText()).isEqualTo(ImageIndex.MEDIA_TYPE);
    assertThat(index.path("manifests").get(1).path("size").asLong()).isEqualTo(590);
    assertThat(index.path("manifests").get(1).path("platform").path("variant").asText()).isEqualTo("v7");
    assertThat(index.path("manifests").get(0).path("platform").has("variant")).isFalse();
    assertThat(ImageIndex.json(children)).isEqualTo(bytes);
    assertThat(ImageIndex.digest(bytes)).matches("sha256:[0-9a-f]{64}");
    assertThatThrownBy(() -> ImageIndex.json(List.of())).hasMessageContaining("at least one");
  }
}
