package io.garden.common.event;

/**
 * A consumer could not decode or handle a record and moved it to {@code garden.deadletter}. Emitted on the audit
 * stream so operators see it without tailing the dead-letter topic.
 */
public record RecordDeadLettered(String consumer, String topic, int partition, long offset, String reason)
    implements EventPayload {
}
