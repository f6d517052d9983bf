package io.garden.registry.worker;

import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishPlanned;
import io.garden.common.release.PlanDigest;
import io.garden.common.worker.WorkRefusedException;
import io.garden.registry.publish.PublishListener;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovedPlanTest {

  private static final List<PlannedDecision> INSERT = List.of(new PlannedDecision("apps.json", "a", "1.0.0", null,
      "INSERT", List.of(), "new"));
  private static final List<PlannedDecision> UNCHANGED = List.of(new PlannedDecision("apps.json", "a", "1.0.0", null,
      "UNCHANGED", List.of(), "same"));
  private final List<EventPayload> said = new ArrayList<>();

  @Test
  @DisplayName("the approved plan goes through; the publisher's events all reach the worker")
  void theApprovedPlanGoesThrough() {
    PublishListener guard = ApprovedPlan.guarding(PlanDigest.of(INSERT), said::add);
    guard.on(new PublishPlanned("prod", "s3://b", false, false, INSERT));
    guard.on(new PublishFailed("prod", "s3://b", "x", false, false, false));
    assertThat(said).hasSize(2);
  }

  @Test
  @DisplayName("another plan under the lock stops the publish before any write, as plan-changed, the plan still said")
  void anotherPlanStopsIt() {
    PublishListener guard = ApprovedPlan.guarding(PlanDigest.of(INSERT), said::add);
    assertThatThrownBy(() -> guard.on(new PublishPlanned("prod", "s3://b", false, false, UNCHANGED)))
        .isInstanceOfSatisfying(WorkRefusedException.class, e -> assertThat(e.kind())
            .isEqualTo(FailureKind.PLAN_CHANGED))
        .hasMessageContaining("changed since it was approved");
    assertThat(said).as("the audit still shows what it would have done").hasSize(1);
  }

  @Test
  @DisplayName("a dry run's plan and an unprotected write are never held")
  void dryRunsAndUnprotectedWritesPass() {
    ApprovedPlan.guarding(PlanDigest.of(INSERT), said::add).on(new PublishPlanned("prod", "s3://b", true, false,
        UNCHANGED));
    PublishListener plain = said::add;
    assertThat(ApprovedPlan.guarding(null, plain)).isSameAs(plain);
  }
}
