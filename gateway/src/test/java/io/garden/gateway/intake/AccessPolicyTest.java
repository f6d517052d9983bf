package io.garden.gateway.intake;

import io.garden.common.event.AccessAction;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

  private final AccessPolicy open = AccessPolicy.fromEnv(Map.of());
  private final AccessPolicy listed = AccessPolicy.fromEnv(Map.of("GARDEN_PUBLISHERS_PROD", "slack:UPROD,git:alice",
      "GARDEN_PUBLISHERS_DEV", "slack:UDEV", "GARDEN_UNLOCKERS", "slack:UOPS"));

  private static Principal api(String name, Role... roles) {
    return new Principal("api:" + name, Door.API, EnumSet.copyOf(List.of(roles)));
  }

  private static PipelineRequested request(String stage, PipelineOptions options, StepName... steps) {
    return new PipelineRequested(SourceRef.local("/repo"), List.of(steps), Targets.of(List.of("tools/tool-demo")),
        stage, options);
  }

  @Test
  @DisplayName("a run credential may run anything that changes no stage, and nothing that does")
  void runRole() {
    Principal ci = api("ci", Role.RUN);
    assertThat(open.decide(ci, Ask.of(request("prod", PipelineOptions.defaults(), StepName.CI_PIPELINE))).allowed())
        .isTrue();
    for (StepName step : List.of(StepName.PUBLISH_REGISTRY, StepName.UNPUBLISH, StepName.RESTORE_REGISTRY,
        StepName.REMOVE_PUBLISH_LOCK)) {
      AccessPolicy.Verdict verdict = open.decide(ci, Ask.of(request("prod", PipelineOptions.defaults(), step)));
      assertThat(verdict.allowed()).as(step.wire()).isFalse();
      assertThat(verdict.reason()).startsWith("api:ci may not ").contains("role, and this credential has roles run");
    }
  }

  @Test
  @DisplayName("a dry run changes nothing, so run is enough; the real publish needs the stage's own role")
  void dryRunsOnlyRun() {
    Principal ci = api("ci", Role.RUN);
    assertThat(open.decide(ci, Ask.of(request("prod", new PipelineOptions(true, false, false),
        StepName.PUBLISH_REGISTRY))).allowed()).isTrue();
    Principal devPublisher = api("dev", Role.RUN, Role.PUBLISH_DEV);
    assertThat(open.decide(devPublisher, Ask.of(request("dev", PipelineOptions.defaults(),
        StepName.PUBLISH_REGISTRY))).allowed()).isTrue();
    AccessPolicy.Verdict prod = open.decide(devPublisher, Ask.of(request("prod", PipelineOptions.defaults(),
        StepName.PUBLISH_REGISTRY)));
    assertThat(prod.allowed()).isFalse();
    assertThat(prod.reason()).contains("publish to prod", "publish:prod");
  }

  @Test
  @DisplayName("ci-pipeline with publish, and pushing stage or prod tags, are publishing to that stage")
  void publishingHidesInOptionsAndPushes() {
    Principal ci = api("ci", Role.RUN);
    PipelineOptions publish = new PipelineOptions(false, false, false, false, true, null, null);
    PipelineOptions push = new PipelineOptions(false, false, false, true, false, null, null);
    assertThat(open.decide(ci, Ask.of(request("dev", publish, StepName.CI_PIPELINE))).allowed()).isFalse();
    assertThat(open.decide(ci, Ask.of(request("prod", push, StepName.CI_PIPELINE))).allowed()).isFalse();
    assertThat(open.decide(ci, Ask.of(request("prod", PipelineOptions.defaults(), StepName.PUSH))).allowed())
        .isFalse();
    assertThat(open.decide(ci, Ask.of(request("dev", PipelineOptions.defaults(), StepName.PUSH))).allowed())
        .as("dev tags are a build's own").isTrue();
  }

  @Test
  @DisplayName("admin may do everything; every role may read; a run credential may cancel")
  void adminReadAndCancel() {
    assertThat(open.decide(api("root", Role.ADMIN), Ask.of(request("prod", PipelineOptions.defaults(),
        StepName.RESTORE_REGISTRY))).allowed()).isTrue();
    assertThat(open.decide(api("viewer", Role.PUBLISH_PROD), Ask.read("/api/v1/pipelines")).allowed()).isTrue();
    assertThat(open.decide(api("viewer", Role.READ), Ask.cancel("p-1")).allowed()).isFalse();
    assertThat(open.decide(api("ci", Role.RUN), Ask.cancel("p-1")).allowed()).isTrue();
  }

  @Test
  @DisplayName("chat users publish to dev and stage when no list names anyone, to prod only when listed")
  void chatUsersFollowTheLists() {
    Principal anyone = open.chatUser("U1");
    assertThat(open.decide(anyone, new Ask(AccessAction.PUBLISH, Stage.DEV, "x")).reason())
        .isEqualTo("anyone with a signed request may publish to dev");
    AccessPolicy.Verdict prod = open.decide(anyone, new Ask(AccessAction.PUBLISH, Stage.PROD, "x"));
    assertThat(prod.allowed()).isFalse();
    assertThat(prod.reason()).isEqualTo("nobody may publish to prod from here: GARDEN_PUBLISHERS_PROD names no one");

    assertThat(listed.decide(listed.chatUser("UPROD"), new Ask(AccessAction.PUBLISH, Stage.PROD, "x")).allowed())
        .isTrue();
    assertThat(listed.decide(listed.chatUser("U1"), new Ask(AccessAction.PUBLISH, Stage.PROD, "x")).reason())
        .isEqualTo("slack:U1 is not on the prod publisher list (GARDEN_PUBLISHERS_PROD)");
    assertThat(listed.decide(listed.chatUser("UPROD"), new Ask(AccessAction.PUBLISH, Stage.DEV, "x")).allowed())
        .as("a dev list that names others").isFalse();
    assertThat(listed.decide(listed.chatUser("UPROD"), new Ask(AccessAction.PUBLISH, Stage.STAGE, "x")).allowed())
        .as("no stage list").isTrue();
  }

  @Test
  @DisplayName("unlocking from chat takes GARDEN_UNLOCKERS; restoring and unpublishing are never open to chat")
  void chatUnlockRestoreUnpublish() {
    assertThat(listed.decide(listed.chatUser("UOPS"), new Ask(AccessAction.UNLOCK, Stage.PROD, null)).allowed())
        .isTrue();
    assertThat(listed.decide(listed.chatUser("UPROD"), new Ask(AccessAction.UNLOCK, Stage.PROD, null)).reason())
        .isEqualTo("slack:UPROD may not remove the prod publish lock: only those GARDEN_UNLOCKERS names may");
    assertThat(listed.decide(listed.chatUser("UOPS"), new Ask(AccessAction.RESTORE, Stage.PROD, null)).allowed())
        .isFalse();
  }

  @Test
  @DisplayName("a webhook sender may run; lists name them by forge or as git:LOGIN")
  void forgeSenders() {
    Principal alice = listed.forgeSender("github", "alice");
    assertThat(alice.actor()).isEqualTo("github:alice");
    assertThat(listed.decide(alice, new Ask(AccessAction.RUN, Stage.DEV, "changed")).allowed()).isTrue();
    assertThat(listed.decide(alice, new Ask(AccessAction.PUBLISH, Stage.PROD, "all")).allowed()).isTrue();
    assertThat(listed.decide(listed.forgeSender("github", "mallory"), new Ask(AccessAction.PUBLISH, Stage.PROD,
        "all")).allowed()).isFalse();
  }

  @Test
  @DisplayName("an emergency --force on stage or prod takes the admin role, beyond publishing there; on dev it is a"
      + " publish")
  void emergencyForceIsAdmins() {
    PipelineOptions force = new PipelineOptions(false, true, false, false, false, null, null, true);
    Principal publisher = api("release", Role.RUN, Role.PUBLISH_PROD, Role.PUBLISH_DEV);
    AccessPolicy.Verdict prod = open.decide(publisher, Ask.of(request("prod", force, StepName.PUBLISH_REGISTRY)));
    assertThat(prod.allowed()).isFalse();
    assertThat(prod.reason()).contains("force a publish to prod (emergency)", "admin");
    assertThat(open.decide(api("root", Role.ADMIN), Ask.of(request("prod", force, StepName.PUBLISH_REGISTRY)))
        .allowed()).isTrue();
    assertThat(open.decide(publisher, Ask.of(request("dev", force, StepName.PUBLISH_REGISTRY))).allowed()).isTrue();
  }

  @Test
  @DisplayName("a dry run of an unpublish, a restore or an unlock still takes that action's role")
  void dryRunsOfPrivilegedActionsNeedTheirRole() {
    PipelineOptions dryRun = new PipelineOptions(true, false, false, false, false, "x", "20260101-000000");
    Principal ci = api("ci", Role.RUN);
    for (StepName step : List.of(StepName.UNPUBLISH, StepName.RESTORE_REGISTRY, StepName.REMOVE_PUBLISH_LOCK)) {
      AccessPolicy.Verdict verdict = open.decide(ci, Ask.of(request("prod", dryRun, step)));
      assertThat(verdict.allowed()).as(step.wire()).isFalse();
      assertThat(verdict.ask().target()).as(step.wire()).contains("(dry run)");
    }
    assertThat(open.decide(api("ops", Role.UNPUBLISH), Ask.of(request("prod", dryRun, StepName.UNPUBLISH)))
        .allowed()).isTrue();
  }

  @Test
  @DisplayName("an unlock-only credential removes a lock without also holding run")
  void unlockAlone() {
    Principal ops = api("ops", Role.UNLOCK);
    assertThat(open.decide(ops, Ask.of(request("prod", PipelineOptions.defaults(), StepName.REMOVE_PUBLISH_LOCK)))
        .allowed()).isTrue();
    assertThat(open.decide(ops, Ask.of(request("prod", PipelineOptions.defaults(), StepName.REMOVE_PUBLISH_LOCK,
        StepName.VALIDATE))).allowed()).as("anything else it runs still needs run").isFalse();
  }

  @Test
  @DisplayName("cancelling a pipeline that changes a stage takes that stage's publish role; others take run")
  void cancelFollowsWhatThePipelineChanges() {
    Principal ci = api("ci", Role.RUN);
    PipelineRequested prodPublish = request("prod", PipelineOptions.defaults(), StepName.PUBLISH_REGISTRY);
    AccessPolicy.Verdict refused = open.decide(ci, Ask.cancel("p-1", prodPublish));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.reason()).contains("cancel a pipeline that changes prod", "publish:prod");
    assertThat(open.decide(api("rel", Role.PUBLISH_PROD), Ask.cancel("p-1", prodPublish)).allowed()).isTrue();
    assertThat(open.decide(api("root", Role.ADMIN), Ask.cancel("p-1", prodPublish)).allowed()).isTrue();
    assertThat(open.decide(ci, Ask.cancel("p-2", request("prod", new PipelineOptions(true, false, false),
        StepName.PUBLISH_REGISTRY))).allowed()).as("a dry run changes nothing").isTrue();
    assertThat(open.decide(ci, Ask.cancel("p-3", request("prod", PipelineOptions.defaults(), StepName.VALIDATE)))
        .allowed()).isTrue();
  }
}
