package io.garden.common.event;

/** {@code lock.kept}: see {@link LockEvent}. */
public record LockKept(LockEvent lock) implements EventPayload {
}
