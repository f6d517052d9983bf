package io.garden.registry.publish;

import io.garden.common.store.ObjectStore;
import io.garden.common.store.PreconditionFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a held publish lock alive while a publish runs: the lease is short (a crashed publisher blocks others only
 * for that long) and renewed every third of it with a compare-and-swap on the lock object. A publisher that could
 * not renew (its lock was taken over, or the store stopped answering until the lease ran out) learns it from
 * {@link #check()} and stops before its next write.
 */
public final class Lease implements AutoCloseable {

  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  private final ObjectStore store;
  private final Clock clock;
  private final Duration length;
  private final ScheduledExecutorService timer;
  private LockManager.Held held;
  private String lost;

  Lease(ObjectStore store, Clock clock, LockManager.Held held, Duration length) {
    this.store = store;
    this.clock = clock;
    this.held = held;
    this.length = length;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "garden-lease-" + held.key());
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(MIN_INTERVAL.toMillis(), length.toMillis() / 3);
    timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private synchronized void renew() {
    if (lost != null) {
      return;
    }
    Instant now = clock.instant();
    PublishLock renewed = new PublishLock(held.lock().owner(), held.lock().host(), held.lock().pid(),
        held.lock().pipeline(), held.lock().acquiredAt(), now.plus(length), held.lock().fencingToken(), null,
        held.lock().ci());
    try {
      String etag = store.putIfMatch(held.key(), LockManager.encode(renewed), held.etag());
      held = new LockManager.Held(held.key(), etag, renewed);
    } catch (PreconditionFailedException takenOver) {
      lost = "the lock was taken over by another publisher";
    } catch (RuntimeException storeTrouble) {
      if (now.isAfter(held.lock().leaseExpiresAt())) {
        lost = "it could not be renewed before its lease ended (" + storeTrouble.getMessage() + ")";
      }
    }
  }

  /** @throws IllegalStateException when this publisher no longer holds the lock: it must not write */
  public synchronized void check() {
    if (lost == null && clock.instant().isAfter(held.lock().leaseExpiresAt())) {
      lost = "its lease ended at " + held.lock().leaseExpiresAt() + " without a renewal";
    }
    if (lost != null) {
      throw new IllegalStateException("lost the publish lock " + held.key() + ": " + lost
          + "; stopped before writing");
    }
  }

  /** The lock as it is now (its ETag changes with every renewal). */
  public synchronized LockManager.Held held() {
    return held;
  }

  /** Stops renewing; after this, {@link #held()} is final, so a release deletes the lock we really hold. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
