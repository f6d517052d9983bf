package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A change to the publish lock ({@code lock.acquired}, {@code lock.waiting}, {@code lock.taken-over},
 * {@code lock.released}, {@code lock.removed}, {@code lock.kept}): whose lock, since when, and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockEvent(String key, String owner, String host, Long pid, String pipeline, Instant acquiredAt,
                        Instant leaseExpiresAt, Long fencingToken, String reason) {
}
