package io.garden.extension.compose;

import io.garden.common.model.Finding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BuildPlatformsTest {

  @Test
  @DisplayName("an unknown platform in build.platforms is an error at its place; known ones and none are fine")
  void unknownPlatformsAreFindings() {
    Map<String, Object> compose = Map.of("services", Map.of(
        "api", Map.of("build", Map.of("context", "./api", "platforms", List.of("linux/amd64", "linux/arm65"))),
        "ui", Map.of("build", "./ui"),
        "db", Map.of("build", Map.of("context", "./db", "platforms", "linux/amd64"))));

    List<Finding> findings = BuildPlatforms.check(compose, "apps/notes");

    assertThat(findings).hasSize(2);
    assertThat(findings).anySatisfy(f -> {
      assertThat(f.path()).isEqualTo("/services/api/build/platforms/1");
      assertThat(f.message()).contains("unknown platform 'linux/arm65'");
    });
    assertThat(findings).anySatisfy(f -> assertThat(f.path()).isEqualTo("/services/db/build/platforms"));
  }
}
