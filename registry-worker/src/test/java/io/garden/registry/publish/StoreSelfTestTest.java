package io.garden.registry.publish;

import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.StoredObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
  private record IgnoresConditions(ObjectStore delegate) implements ObjectStore {
    @Override
    public Optional<StoredObject> get(String key) {
      return delegate.get(key);
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

    @Override
    public String put(String key, byte[] body) {
      return delegate.put(key, body);
    }

    @Override
    public List<String> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }
  }
}
