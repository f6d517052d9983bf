package io.garden.common.event;

/** A step ended well; {@code summary} is one human line (what the CLI prints). */
public record StepFinished(StepName step, String target, long durationMs, String summary) implements EventPayload {
}
