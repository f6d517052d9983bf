package io.garden.common.event;

/** One line of build output, streamed while the build runs. */
public record BuildProgress(String extension, String line) implements EventPayload {
}
