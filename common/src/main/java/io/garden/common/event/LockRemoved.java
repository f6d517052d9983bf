package io.garden.common.event;

/** {@code lock.removed}: see {@link LockEvent}. */
public record LockRemoved(LockEvent lock) implements EventPayload {
}
