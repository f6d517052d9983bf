package io.garden.common.event;

/**
 * Marker for the typed {@code data} of an envelope. Every implementation is registered in {@link EventTypes}
 * with its wire name and has a golden JSON fixture under {@code common/src/test/resources/events/}.
 */
public interface EventPayload {
}
