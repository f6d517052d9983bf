package io.garden.registry.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.garden.common.event.LockEvent;

import java.time.Instant;

/**
 * The body of {@code garden/{dir}/registry.lock}: who holds the publish lock, for what, since when, until when,
 * and (after a failure that could not be undone) why it was kept. Read tolerantly although it is a file: during
 * a rolling upgrade an older publisher must still respect a lock a newer one wrote with more fields.
 *
 * <p>Beside garden's fields it carries the old toolchain's, so its scripts and people used to them read it as before:
 * {@code hostname} (the host), and {@code ci}, the CI job that holds it ({@code github-actions run 123},
 * {@code gitlab job 456}), or null outside CI.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishLock(String owner, String host, long pid, String pipeline, Instant acquiredAt,
                          Instant leaseExpiresAt, long fencingToken, String reason,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String ci) {

  public PublishLock(String owner, String host, long pid, String pipeline, Instant acquiredAt, Instant leaseExpiresAt,
                     long fencingToken, String reason) {
    this(owner, host, pid, pipeline, acquiredAt, leaseExpiresAt, fencingToken, reason, null);
  }

  /** The old toolchain's name for the host. */
  @JsonProperty("hostname")
  public String hostname() {
    return host;
  }

  public boolean expiredAt(Instant now) {
    return leaseExpiresAt != null && now.isAfter(leaseExpiresAt);
  }

  public PublishLock withReason(String why) {
    return new PublishLock(owner, host, pid, pipeline, acquiredAt, leaseExpiresAt, fencingToken, why, ci);
  }

  public LockEvent event(String key) {
    return new LockEvent(key, owner, host, pid, pipeline, acquiredAt, leaseExpiresAt, fencingToken, reason);
  }

  /**
   * Whether the holder is a process on {@code thisHost} that has ended: its lock protects nothing any more, whatever
   * its lease says. A holder elsewhere cannot be checked from here (false).
   */
  public boolean deadOn(String thisHost) {
    return host != null && host.equals(thisHost) && pid > 0
        && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  /** "bob@host-c (pid 4242, pipeline p-1) since 2026-11-25T09:00:00Z". */
  public String describe() {
    return owner + "@" + host + " (pid " + pid + (pipeline == null ? "" : ", pipeline " + pipeline)
        + (ci == null ? "" : ", " + ci) + ") since " + acquiredAt;
  }
}
