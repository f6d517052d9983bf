package io.garden.registry.publish;

import io.garden.common.event.LockAcquired;
import io.garden.common.event.LockKept;
import io.garden.common.event.LockReleased;
import io.garden.common.event.LockRemoved;
import io.garden.common.event.LockTakenOver;
import io.garden.common.event.LockWaiting;
import io.garden.common.format.Json;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.PreconditionFailedException;
import io.garden.common.store.StoredObject;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The publish lock: an object created with put-if-absent, released with delete-if-match, so only its holder can
 * release it. An expired lease may be taken over (with put-if-match, so two takers cannot both win); a live lock
 * is waited for, bounded, and then reported with who holds it and the command that removes it.
 */
public final class LockManager {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LockManager.class);

  /** A lock this publisher holds, with the ETag that proves it. */
  /**
   * A lock we hold. {@code takenOverFrom}: the dead holder whose lock we took over (its lease ended, or its process on
   * this host is gone), null when the lock was free — only then may a half-done publish of that holder be undone.
   */
  public record Held(String key, String etag, PublishLock lock, PublishLock takenOverFrom) {

    public Held(String key, String etag, PublishLock lock) {
      this(key, etag, lock, null);
    }
  }

  private static final Duration POLL = Duration.ofMillis(100);

  private final ObjectStore store;
  private final Clock clock;
  private final Sleeper sleeper;
  private final PublishListener listener;

  public LockManager(ObjectStore store, Clock clock, Sleeper sleeper, PublishListener listener) {
    this.store = store;
    this.clock = clock;
    this.sleeper = sleeper;
    this.listener = listener;
  }

  /**
   * @param removeHint the exact command that removes this lock, for the message when waiting gives up
   * @throws PublishRefusedException when a live lock is still held after {@code wait}
   */
  public Held acquire(String key, LockOwner owner, Duration lease, Duration wait, String removeHint) {
    Instant deadline = clock.instant().plus(wait);
    boolean announced = false;
    while (true) {
      Instant now = clock.instant();
      PublishLock mine = new PublishLock(owner.owner(), owner.host(), owner.pid(), owner.pipeline(), now,
          now.plus(lease), owner.fencingToken(), null, owner.ci());
      try {
        String etag = store.putIfAbsent(key, encode(mine));
        LOG.info("publish lock {} acquired by {} (pipeline {})", key, mine.owner(), mine.pipeline());
        listener.on(new LockAcquired(mine.event(key)));
        return new Held(key, etag, mine);
      } catch (PreconditionFailedException taken) {
        Optional<StoredObject> current = store.get(key);
        if (current.isEmpty()) {
          continue; // released between our two calls: try again at once
        }
        PublishLock holder = decode(current.get());
        String gone = holder.reason() != null ? null : holder.expiredAt(now) ? "its lease ended at "
            + holder.leaseExpiresAt() : holder.deadOn(owner.host()) ? "its process (pid " + holder.pid()
            + ") on this host has ended" : null;
        if (gone != null) {
          Optional<Held> takenOver = takeOver(key, current.get(), holder.withReason(gone), mine);
          if (takenOver.isPresent()) {
            return takenOver.get();
          }
          continue;
        }
        if (!announced) {
          LOG.info("publish lock {} is held by {}: waiting for it", key, holder.describe());
          listener.on(new LockWaiting(holder.event(key)));
          announced = true;
        }
        if (!now.isBefore(deadline) || holder.reason() != null) {
          throw new PublishRefusedException("The publish lock " + key + " is held by " + holder.describe()
              + (holder.reason() == null ? "" : " and was kept because: " + holder.reason())
              + ". If that publish is dead, remove the lock with: " + removeHint
              + (holder.reason() == null ? " --force" : ""));
        }
        pause();
      }
    }
  }

  private Optional<Held> takeOver(String key, StoredObject current, PublishLock expired, PublishLock mine) {
    try {
      String etag = store.putIfMatch(key, encode(mine), current.etag());
      LOG.info("publish lock {} taken over from {} ({}) by {}", key, expired.owner(), expired.reason(),
          mine.owner());
      listener.on(new LockTakenOver(expired.event(key)));
      listener.on(new LockAcquired(mine.event(key)));
      return Optional.of(new Held(key, etag, mine, expired));
    } catch (PreconditionFailedException anotherTakerWon) {
      return Optional.empty();
    }
  }

  /** Renews {@code held} every third of {@code lease} until the returned lease is closed. */
  public Lease keepAlive(Held held, Duration lease) {
    return new Lease(store, clock, held, lease);
  }

  /** Releases a lock we hold; a lock someone took over since is theirs now and is left alone. */
  public void release(Held held) {
    try {
      store.deleteIfMatch(held.key(), held.etag());
      listener.on(new LockReleased(held.lock().event(held.key())));
    } catch (PreconditionFailedException notOursAnyMore) {
      // Taken over after our lease ran out: deleting it would break the new holder's publish.
    }
  }

  /** Keeps the lock after a failure that could not be undone, with the reason in it for whoever comes next. */
  public void keep(Held held, String reason) {
    PublishLock kept = held.lock().withReason(reason);
    try {
      store.putIfMatch(held.key(), encode(kept), held.etag());
    } catch (RuntimeException e) {
      // The lock object stays as it was; the event still carries the reason.
    }
    listener.on(new LockKept(kept.event(held.key())));
  }

  /**
   * remove-publish-lock: deletes the lock, reporting whose it was. A lock whose holder may still be publishing (a
   * live lease, not known dead) is only removed with {@code force}: removing it would let a second publisher write
   * beside the first.
   *
   * @param thisHost where this runs, to tell a dead local holder from one that cannot be checked
   */
  public Optional<PublishLock> remove(String key, boolean force, String thisHost, String forceCommand) {
    Optional<StoredObject> current = store.get(key);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    PublishLock holder = decode(current.get());
    boolean maybeLive = holder.reason() == null && !holder.expiredAt(clock.instant()) && !holder.deadOn(thisHost);
    if (maybeLive && !force) {
      throw new PublishRefusedException("The publish lock " + key + " is held by " + holder.describe()
          + " with a lease until " + holder.leaseExpiresAt() + ", and that publish may still be running. Wait for"
          + " it, or if you know it is dead: " + forceCommand);
    }
    store.deleteIfMatch(key, current.get().etag());
    listener.on(new LockRemoved(holder.event(key)));
    return Optional.of(holder);
  }

  public Optional<PublishLock> peek(String key) {
    return store.get(key).map(LockManager::decode);
  }

  private void pause() {
    try {
      sleeper.sleep(POLL.plusMillis((long) (Math.random() * POLL.toMillis())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishRefusedException("interrupted while waiting for the publish lock");
    }
  }

  static byte[] encode(PublishLock lock) {
    try {
      return Json.files().writerWithDefaultPrettyPrinter().writeValueAsBytes(lock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode lock", e);
    }
  }

  static PublishLock decode(StoredObject object) {
    try {
      return Json.files().readValue(object.body(), PublishLock.class);
    } catch (IOException e) {
      // An unreadable lock is still a lock: treat it as held by "unknown" until someone removes it.
      return new PublishLock("unknown", "unknown", 0, null, null, null, 0, "unreadable lock object: "
          + e.getMessage());
    }
  }
}
