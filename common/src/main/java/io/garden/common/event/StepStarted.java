package io.garden.common.event;

/** A worker began one step of a pipeline for one target (an extension id, or {@code *} for the repository). */
public record StepStarted(String step, String target) implements EventPayload {
}
