package io.garden.registry.worker;

import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PublishPlanned;
import io.garden.common.release.PlanDigest;
import io.garden.common.worker.WorkRefusedException;
import io.garden.registry.publish.PublishListener;

/**
 * Holds a write to a protected stage to the plan people approved: the publisher says its plan (made under the lock,
 * before any write) through its listener, and a plan with another digest stops it there, nothing written. The
 * pipeline then runs its dry run again and waits for approval of what it would now do.
 */
final class ApprovedPlan implements PublishListener {

  private final String approved;
  private final PublishListener next;

  ApprovedPlan(String approved, PublishListener next) {
    this.approved = approved;
    this.next = next;
  }

  /** {@code next} itself when nothing was approved (an unprotected stage). */
  static PublishListener guarding(String approved, PublishListener next) {
    return approved == null ? next : new ApprovedPlan(approved, next);
  }

  @Override
  public void on(EventPayload event) {
    next.on(event);
    if (event instanceof PublishPlanned plan && !plan.dryRun()) {
      String now = PlanDigest.of(plan.decisions());
      if (!now.equals(approved)) {
        throw new WorkRefusedException("the plan for " + plan.stage() + " changed since it was approved (another"
            + " publish landed: " + now + " is not the approved " + approved + "); nothing was written, and it waits"
            + " for approval of the new plan", FailureKind.PLAN_CHANGED);
      }
    }
  }
}
