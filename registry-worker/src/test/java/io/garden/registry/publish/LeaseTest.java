package io.garden.registry.publish;

import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ObjectStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeaseTest {

  private static final String KEY = "garden/v2/registry.lock";

  @TempDir
  Path root;

  @Test
  @DisplayName("a held lock is renewed past its first lease while the publish runs, and released cleanly after")
  void leaseIsRenewed() {
    ObjectStore store = new FileObjectStore(root);
    LockManager locks = new LockManager(store, Clock.systemUTC(), Sleeper.REAL, e -> { });
    LockManager.Held held = locks.acquire(KEY, LockOwner.local("it", "host-a"), Duration.ofMillis(300),
        Duration.ZERO, "remove it");
    Instant firstExpiry = held.lock().leaseExpiresAt();

    try (Lease lease = locks.keepAlive(held, Duration.ofMillis(300))) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          locks.peek(KEY).orElseThrow().leaseExpiresAt().isAfter(firstExpiry.plusMillis(300)));
      lease.check();
      lease.close();
      locks.release(lease.held());
    }
    assertThat(locks.peek(KEY)).isEmpty();
  }

  @Test
  @DisplayName("a publisher whose lock was taken over learns it before its next write")
  void lostLockIsNoticed() {
    ObjectStore store = new FileObjectStore(root);
    LockManager locks = new LockManager(store, Clock.systemUTC(), Sleeper.REAL, e -> { });
    LockManager.Held held = locks.acquire(KEY, LockOwner.local("it", "host-a"), Duration.ofSeconds(3),
        Duration.ZERO, "remove it");

    try (Lease lease = locks.keepAlive(held, Duration.ofSeconds(3))) {
      Instant now = Instant.now();
      store.put(KEY, LockManager.encode(new PublishLock("other", "host-b", 7, null, now, now.plusSeconds(3600), 9,
          null))); // another publisher took it over

      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThatThrownBy(lease::check).hasMessageContaining("lost the publish lock")
              .hasMessageContaining("taken over"));
    }
  }
}
