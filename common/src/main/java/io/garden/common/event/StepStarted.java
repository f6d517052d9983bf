package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The coordinator began one step of a pipeline for one target (an extension id, or {@code *} for the repository).
 * {@code requestId} is the id of the request it sent to a worker: the worker's {@code step.finished} or
 * {@code step.failed} for it carries that id as its causation id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepStarted(StepName step, String target, String requestId) implements EventPayload {

  public StepStarted(StepName step, String target) {
    this(step, target, null);
  }
}
