package io.garden.registry.publish;

import io.garden.common.store.ObjectStore;
import io.garden.common.store.PreconditionFailedException;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Proves, before the first publish, that the store refuses stale conditional writes: publishing is only safe on a
 * store that does (s3proxy, for one, silently ignores If-Match).
 */
public final class StoreSelfTest {

  private StoreSelfTest() {
  }

  /** @throws PublishRefusedException naming the store when a stale or duplicate write is accepted */
  public static void verify(ObjectStore store) {
    String key = "selftest/" + UUID.randomUUID() + ".txt";
    String first = store.putIfAbsent(key, bytes("1"));
    String second = store.putIfMatch(key, bytes("2"), first);
    try {
      boolean staleRefused = refused(() -> store.putIfMatch(key, bytes("3"), first));
      boolean duplicateRefused = refused(() -> store.putIfAbsent(key, bytes("4")));
      if (!staleRefused || !duplicateRefused) {
        throw new PublishRefusedException("Refusing to publish: " + store.describe() + " accepted a "
            + (staleRefused ? "put-if-absent on an existing object" : "write with a stale If-Match ETag")
            + ", so it cannot keep concurrent publishers from losing entries. Use a store that enforces"
            + " conditional writes (AWS S3, MinIO, a folder store).");
      }
    } finally {
      try {
        store.deleteIfMatch(key, store.get(key).map(o -> o.etag()).orElse(second));
      } catch (RuntimeException ignored) {
        // A leftover self-test object is harmless.
      }
    }
  }

  private static boolean refused(Runnable write) {
    try {
      write.run();
      return false;
    } catch (PreconditionFailedException expected) {
      return true;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
