package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtectedStagesTest {

  private static PipelineStarted started(String stage, PipelineOptions options, StepName... steps) {
    return new PipelineStarted(SourceRef.local("/repo"), List.of(steps), Targets.all(), List.of("apps/a"), stage,
        options, List.of());
  }

  @Test
  @DisplayName("prod:1,stage:0 protects prod with one approver and stage with none; a bare stage needs one")
  void parsesCounts() {
    ProtectedStages parsed = ProtectedStages.fromEnv(Map.of("GARDEN_PROTECTED_STAGES", "prod:1,stage:0"));
    assertThat(parsed.approvals()).containsEntry(Stage.PROD, 1).containsEntry(Stage.STAGE, 0);
    assertThat(ProtectedStages.fromEnv(Map.of("GARDEN_PROTECTED_STAGES", "prod")).approvals())
        .containsEntry(Stage.PROD, 1);
    assertThat(parsed.approvalWait()).isEqualTo(Duration.ofHours(24));
    assertThat(ProtectedStages.fromEnv(Map.of("GARDEN_APPROVAL_HOURS", "0.5")).approvalWait())
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  @DisplayName("a publish, promote, unpublish or restore on prod is held; a dry run, a build, or dev is not")
  void holdsWritesOnly() {
    ProtectedStages prod = ProtectedStages.fromEnv(Map.of("GARDEN_PROTECTED_STAGES", "prod:2"));
    for (StepName write : List.of(StepName.PUBLISH_REGISTRY, StepName.PROMOTE, StepName.UNPUBLISH,
        StepName.RESTORE_REGISTRY)) {
      assertThat(prod.approvalsFor(started("prod", PipelineOptions.defaults(), StepName.VALIDATE, write)))
          .as(write.wire()).isEqualTo(2);
    }
    assertThat(prod.approvalsFor(started("prod", new PipelineOptions(true, false, false),
        StepName.PUBLISH_REGISTRY))).isZero();
    assertThat(prod.approvalsFor(started("prod", PipelineOptions.defaults(), StepName.BUILD))).isZero();
    assertThat(prod.approvalsFor(started("dev", PipelineOptions.defaults(), StepName.PUBLISH_REGISTRY))).isZero();
  }

  @Test
  @DisplayName("a value that is not STAGE[:COUNT] or a wait that is not a positive number is refused, with an example")
  void refusesNonsense() {
    assertThatThrownBy(() -> ProtectedStages.fromEnv(Map.of("GARDEN_PROTECTED_STAGES", "production:1")))
        .hasMessageContaining("e.g. prod:1,stage:0");
    assertThatThrownBy(() -> ProtectedStages.fromEnv(Map.of("GARDEN_PROTECTED_STAGES", "prod:many")))
        .hasMessageContaining("'prod:many'");
    assertThatThrownBy(() -> ProtectedStages.fromEnv(Map.of("GARDEN_APPROVAL_HOURS", "0")))
        .hasMessageContaining("GARDEN_APPROVAL_HOURS");
  }
}
