package io.garden.gateway.hooks;

import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.TriggerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HookPolicyTest {

  private static final String SHA = "a".repeat(40);
  private final HookPolicy policy = new HookPolicy(Optional.of("garden-bot"), Set.of("garden/trusting"));

  private static CodeChange change(String repository, String author, boolean fork, boolean everything) {
    return new CodeChange(TriggerKind.GITHUB, "https://git.example/" + repository + ".git", repository,
        "refs/heads/main", SHA, everything ? null : "b".repeat(40), everything, List.of("tools/t/x"), author, fork);
  }

  @Test
  @DisplayName("a push by the pipeline's own bot starts nothing, whatever the case of its name")
  void loopGuard() {
    assertThat(policy.decide(change("garden/ext", "Garden-Bot", false, false), "d"))
        .isInstanceOf(HookPolicy.Decision.Ignore.class);
  }

  @Test
  @DisplayName("a pull request from a fork only syncs and validates, unless its repository trusts forks")
  void forks() {
    var untrusted = (HookPolicy.Decision.Run) policy.decide(change("garden/ext", "mallory", true, false), "d");
    assertThat(untrusted.request().steps()).isEqualTo(HookPolicy.UNTRUSTED_STEPS)
        .doesNotContain(StepName.BUILD, StepName.PUSH, StepName.PUBLISH_REGISTRY, StepName.CI_PIPELINE);
    var trusted = (HookPolicy.Decision.Run) policy.decide(change("garden/trusting", "ann", true, false), "d");
    assertThat(trusted.request().steps()).containsExactly(StepName.CI_PIPELINE);
  }

  private static CodeChange pullRequest(String repository, boolean fork) {
    return new CodeChange(TriggerKind.GITHUB, "https://git.example/" + repository + ".git", repository,
        "refs/pull/7/head", SHA, "b".repeat(40), false, List.of("tools/t/x"), "ann", fork, null, 7);
  }

  @Test
  @DisplayName("a trusted pull request also rehearses the publish a merge would make, at the plan stage, as a dry"
      + " run; a fork's is validated only, and a push publishes nothing")
  void pullRequestsArePlanned() {
    HookPolicy planningProd = new HookPolicy(Optional.empty(), Set.of(), HookPolicy.planStages("prod,dev"));
    var trusted = (HookPolicy.Decision.Run) planningProd.decide(pullRequest("garden/ext", false), "d");
    assertThat(trusted.request().stage()).isEqualTo("prod");
    assertThat(trusted.request().options().dryRun()).isTrue();
    assertThat(trusted.request().options().publish()).isTrue();
    assertThat(trusted.request().options().planStages()).containsExactly("prod", "dev");
    assertThat(trusted.request().trigger().change()).isEqualTo(7);
    var fork = (HookPolicy.Decision.Run) planningProd.decide(pullRequest("garden/ext", true), "d");
    assertThat(fork.request().options().publish()).isFalse();
    var push = (HookPolicy.Decision.Run) planningProd.decide(change("garden/ext", "alice", false, false), "d");
    assertThat(push.request().options().publish()).isFalse();
    var off = (HookPolicy.Decision.Run) new HookPolicy(Optional.empty(), Set.of(), HookPolicy.planStages(""))
        .decide(pullRequest("garden/ext", false), "d");
    assertThat(off.request().options().dryRun()).isFalse();
  }

  @Test
  @DisplayName("GARDEN_PLAN_STAGES lists stages (dev by default, empty for none); an unknown one is refused")
  void planStageSetting() {
    assertThat(HookPolicy.planStages(null)).containsExactly(io.garden.common.model.Stage.DEV);
    assertThat(HookPolicy.planStages("dev, prod,dev")).containsExactly(io.garden.common.model.Stage.DEV,
        io.garden.common.model.Stage.PROD);
    assertThat(HookPolicy.planStages(" ")).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HookPolicy.planStages("qa"))
        .hasMessageContaining("'qa' is not dev, stage or prod");
  }

  @Test
  @DisplayName("an ordinary push runs ci-pipeline on what changed; a new branch or force push on everything")
  void targets() {
    var push = (HookPolicy.Decision.Run) policy.decide(change("garden/ext", "alice", false, false), "d-1");
    assertThat(push.request().targets()).isEqualTo(Targets.changed());
    assertThat(push.request().changes().paths()).containsExactly("tools/t/x");
    assertThat(push.request().trigger().delivery()).isEqualTo("d-1");
    assertThat(push.request().source().commit()).isEqualTo(SHA);
    var forced = (HookPolicy.Decision.Run) policy.decide(change("garden/ext", "alice", false, true), "d-2");
    assertThat(forced.request().targets()).isEqualTo(Targets.all());
    assertThat(forced.request().changes()).isNull();
  }
}
