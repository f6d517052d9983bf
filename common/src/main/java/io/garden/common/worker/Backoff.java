package io.garden.common.worker;

import java.time.Duration;

/** Bounded exponential back-off for transient failures: how long to wait before attempt n, and when to stop. */
public record Backoff(int maxAttempts, Duration initial, Duration max) {

  public static final Backoff DEFAULT = new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(5));

  /** Delay before retry number {@code retry} (1-based): initial × 2^(retry-1), capped at max. */
  public Duration delayBefore(int retry) {
    long millis = initial.toMillis() << Math.min(retry - 1, 20);
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  public boolean mayRetry(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }
}
