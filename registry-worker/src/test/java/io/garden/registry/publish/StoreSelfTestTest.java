package io.garden.registry.publish;

import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ForwardingObjectStore;
import io.garden.common.store.ObjectStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreSelfTestTest {

  @TempDir
  Path root;

  @Test
  @DisplayName("a store that enforces conditional writes passes, and leaves nothing behind")
  void enforcingStorePasses() {
    FileObjectStore store = new FileObjectStore(root);

    StoreSelfTest.verify(store);

    assertThat(store.list("")).isEmpty();
  }

  @Test
  @DisplayName("a store that accepts a stale If-Match is refused for publishing, by name")
  void ignoringStoreIsRefused() {
    ObjectStore ignoring = new IgnoresConditions(new FileObjectStore(root));

    assertThatThrownBy(() -> StoreSelfTest.verify(ignoring))
        .isInstanceOf(PublishRefusedException.class)
        .hasMessageContaining("Refusing to publish: folder store " + root.toAbsolutePath())
        .hasMessageContaining("stale If-Match");
  }

  /** Like s3proxy: conditions are accepted and ignored. */
  private static final class IgnoresConditions extends ForwardingObjectStore {
    IgnoresConditions(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public String putIfAbsent(String key, byte[] body) {
      return delegate.put(key, body);
    }

    @Override
    public String putIfMatch(String key, byte[] body, String etag) {
      return delegate.put(key, body);
    }

    @Override
    public void deleteIfMatch(String key, String etag) {
      delegate.get(key).ifPresent(o -> delegate.deleteIfMatch(key, o.etag()));
    }
  }
}
