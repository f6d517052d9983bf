package io.garden.common.event;

/** {@code lock.released}: see {@link LockEvent}. */
public record LockReleased(LockEvent lock) implements EventPayload {
}
