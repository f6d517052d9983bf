package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepName;

/** What the coordinator decided to do next for one pipeline; the verticle carries it out. */
public sealed interface Decision {

  /** Send a step's request for one target to its worker, then record {@code step.started}. */
  record Dispatch(StepName step, String target, String requestId) implements Decision {
  }

  /** End the pipeline. */
  record Finish(PipelineFinished.State state, String reason) implements Decision {
  }
}
