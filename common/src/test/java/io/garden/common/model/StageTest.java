package io.garden.common.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageTest {

  @Test
  @DisplayName("stage tags: dev → -dev, stage → -stage, prod → bare version without a leading v")
  void tags() {
    assertThat(Stage.DEV.tag("1.2.3")).isEqualTo("1.2.3-dev");
    assertThat(Stage.STAGE.tag("1.2.3")).isEqualTo("1.2.3-stage");
    assertThat(Stage.PROD.tag("v1.2.3")).isEqualTo("1.2.3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"production", "DEV", "", " dev"})
  @DisplayName("an invalid stage gives the old toolchain's exact message")
  void invalidStage(String value) {
    assertThatThrownBy(() -> Stage.parse(value))
        .hasMessage("Error: Invalid stage '" + value + "'. Must be: dev, stage, or prod");
  }

  @Test
  @DisplayName("valid stage names parse")
  void validStages() {
    assertThat(Stage.parse("dev")).isEqualTo(Stage.DEV);
    assertThat(Stage.parse("stage")).isEqualTo(Stage.STAGE);
    assertThat(Stage.parse("prod")).isEqualTo(Stage.PROD);
  }
}
