package io.garden.common.event;

/** {@code lock.waiting}: see {@link LockEvent}. */
public record LockWaiting(LockEvent lock) implements EventPayload {
}
