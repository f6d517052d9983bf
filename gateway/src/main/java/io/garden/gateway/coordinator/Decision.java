package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepName;

/** What the coordinator decided to do next for one pipeline; the verticle carries it out. */
public sealed interface Decision {

  /**
   * Send a step's request for one target to its worker, then record {@code step.started}.
   *
   * @param approvedPlan the plan digest people approved, for a write to a protected stage; null otherwise
   */
  record Dispatch(StepName step, String target, String requestId, String approvedPlan) implements Decision {

    public Dispatch(StepName step, String target, String requestId) {
      this(step, target, requestId, null);
    }
  }

  /** End the pipeline. */
  record Finish(PipelineFinished.State state, String reason) implements Decision {
  }

  /** Ask people to approve the plan {@code plan} of {@code step}'s write to a protected stage. */
  record RequestApproval(StepName step, String plan, int required) implements Decision {
  }
}
