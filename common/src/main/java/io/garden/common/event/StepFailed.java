package io.garden.common.event;

/**
 * A step ended badly. {@code errorKind} says why: {@code findings} (the step ran and found problems, e.g.
 * validation errors), {@code permanent} (bad input, not retried), {@code transient} (retries exhausted) or
 * {@code fatal} (the component stopped).
 */
public record StepFailed(String step, String target, String reason, String errorKind) implements EventPayload {
}
