package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.garden.common.event.StepName.BUILD;
import static io.garden.common.event.StepName.BUILD_REGISTRY;
import static io.garden.common.event.StepName.CI_PIPELINE;
import static io.garden.common.event.StepName.PACKAGE_REGISTRY;
import static io.garden.common.event.StepName.PUBLISH_REGISTRY;
import static io.garden.common.event.StepName.PUSH;
import static io.garden.common.event.StepName.SYNC_COMPOSE;
import static io.garden.common.event.StepName.TEST;
import static io.garden.common.event.StepName.VALIDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelinePlanTest {

  private static final String NO_ENGINE = "no container engine at DOCKER_HOST=unix:///nowhere.sock";
  private static final PipelineOptions PUSH_AND_PUBLISH = new PipelineOptions(false, false, false, true, true, null,
      null);

  @Test
  @DisplayName("ci-pipeline runs build, test, sync-compose, validate, build-registry, package-registry in that order")
  void ciPipelineOrder() {
    PipelinePlan plan = PipelinePlan.of(List.of(CI_PIPELINE), PipelineOptions.defaults(), null);

    assertThat(plan.steps()).containsExactly(BUILD, TEST, SYNC_COMPOSE, VALIDATE, BUILD_REGISTRY, PACKAGE_REGISTRY);
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  @DisplayName("ci-pipeline adds push (before the registry is built and packaged, so both pin what it pushed) and"
      + " publish-registry when the request asks for them")
  void ciPipelineWithPushAndPublish() {
    assertThat(PipelinePlan.of(List.of(CI_PIPELINE), PUSH_AND_PUBLISH, null).steps())
        .endsWith(VALIDATE, PUSH, BUILD_REGISTRY, PACKAGE_REGISTRY, PUBLISH_REGISTRY);
  }

  @Test
  @DisplayName("steps named in any order run in pipeline order, each once")
  void namedStepsRunInPipelineOrder() {
    assertThat(PipelinePlan.of(List.of(VALIDATE, SYNC_COMPOSE, VALIDATE), PipelineOptions.defaults(), null).steps())
        .containsExactly(SYNC_COMPOSE, VALIDATE);
  }

  @Test
  @DisplayName("without an engine, ci-pipeline skips the image steps and says why in a note")
  void imageStepsSkippedWithoutEngine() {
    PipelinePlan plan = PipelinePlan.of(List.of(CI_PIPELINE), PipelineOptions.defaults(), NO_ENGINE);

    assertThat(plan.steps()).containsExactly(SYNC_COMPOSE, VALIDATE, BUILD_REGISTRY, PACKAGE_REGISTRY);
    assertThat(plan.notes()).containsExactly("build, test skipped: " + NO_ENGINE);
    assertThat(plan.skipped()).containsExactly(Map.entry(BUILD, NO_ENGINE), Map.entry(TEST, NO_ENGINE));
  }

  @Test
  @DisplayName("without an engine, image steps named explicitly fail the request with the reason")
  void namedImageStepsFailWithoutEngine() {
    assertThatThrownBy(() -> PipelinePlan.of(List.of(BUILD, VALIDATE), PipelineOptions.defaults(), NO_ENGINE))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessage("build cannot run: " + NO_ENGINE);
  }

  @Test
  @DisplayName("without an engine, a publish that asked for a push first is refused rather than publish unpushed images")
  void publishAfterSkippedPushRefused() {
    assertThatThrownBy(() -> PipelinePlan.of(List.of(CI_PIPELINE), PUSH_AND_PUBLISH, NO_ENGINE))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining("push cannot run: " + NO_ENGINE);
  }

  @Test
  @DisplayName("a request without steps is refused, listing the steps there are")
  void noSteps() {
    assertThatThrownBy(() -> PipelinePlan.of(List.<StepName>of(), PipelineOptions.defaults(), null))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining("sync-compose").hasMessageContaining("ci-pipeline");
  }
}
