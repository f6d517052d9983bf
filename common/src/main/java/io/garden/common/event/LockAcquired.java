package io.garden.common.event;

/** {@code lock.acquired}: see {@link LockEvent}. */
public record LockAcquired(LockEvent lock) implements EventPayload {
}
