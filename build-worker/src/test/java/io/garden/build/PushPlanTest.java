package io.garden.build;

import io.garden.common.model.Stage;
import io.garden.extension.BuildTarget;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushPlanTest {

  private static final List<BuildTarget> TARGETS = List.of(
      new BuildTarget("api", Path.of("api"), Path.of("api/Dockerfile"), "kamiwazaai/notes-api"));

  @Test
  @DisplayName("stage tags: dev -dev, stage -stage, prod bare; latest is never pushed")
  void stageTags() {
    Set<String> local = Set.of("kamiwazaai/notes-api:1.2.0-dev", "kamiwazaai/notes-api:latest");
    for (Stage stage : Stage.values()) {
      PushPlan.Step step = PushPlan.plan(TARGETS, "1.2.0", stage, null, local::contains, "garden build").get(0);
      assertThat(step.remoteRef()).isEqualTo("kamiwazaai/notes-api:" + stage.tag("1.2.0")).doesNotContain("latest");
    }
  }

  @Test
  @DisplayName("an image missing under the stage tag but present as -dev is retagged first")
  void retagFromDev() {
    PushPlan.Step step = PushPlan.plan(TARGETS, "1.2.0", Stage.PROD, "localhost:5000",
        Set.of("kamiwazaai/notes-api:1.2.0-dev")::contains, "garden build").get(0);

    assertThat(step.retagFromDev()).isTrue();
    assertThat(step.devRef()).isEqualTo("kamiwazaai/notes-api:1.2.0-dev");
    assertThat(step.localRef()).isEqualTo("kamiwazaai/notes-api:1.2.0");
    assertThat(step.remoteRef()).isEqualTo("localhost:5000/kamiwazaai/notes-api:1.2.0");
  }

  @Test
  @DisplayName("an image present under neither tag is an error naming the build command")
  void missing() {
    assertThatThrownBy(() -> PushPlan.plan(TARGETS, "1.2.0", Stage.STAGE, null, ref -> false,
        "garden build app notes"))
        .hasMessage("Image kamiwazaai/notes-api:1.2.0-dev not found; build it first: garden build app notes"
            + " (or push with --build)");
  }
}
