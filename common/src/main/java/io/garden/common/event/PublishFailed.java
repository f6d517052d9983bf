package io.garden.common.event;

/**
 * A publish failed. {@code restored}: the backup was put back after a partial write; {@code lockKept}: even that
 * failed, so the lock stays (with this reason in it) until someone looks.
 */
public record PublishFailed(String stage, String store, String reason, boolean wrote, boolean restored,
                            boolean lockKept) implements EventPayload {
}
