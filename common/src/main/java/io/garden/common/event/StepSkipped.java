package io.garden.common.event;

/** The coordinator did not run a step of a pipeline, and says why (no container engine, nothing to do). */
public record StepSkipped(StepName step, String target, String reason) implements EventPayload {
}
