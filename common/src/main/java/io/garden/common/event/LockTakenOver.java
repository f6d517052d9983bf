package io.garden.common.event;

/** {@code lock.taken-over}: see {@link LockEvent}. */
public record LockTakenOver(LockEvent lock) implements EventPayload {
}
