package io.garden.common.event;

/** A conditional write of the index was refused (someone wrote it since it was read): re-read, re-merge, retry. */
public record PublishConflict(String stage, String key, int attempt) implements EventPayload {
}
