package io.garden.common.event;

/** A step ended badly; {@code errorKind} says why, {@code reason} says what (one human line). */
public record StepFailed(StepName step, String target, String reason, FailureKind errorKind) implements EventPayload {
}
