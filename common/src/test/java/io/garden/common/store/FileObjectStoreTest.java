package io.garden.common.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileObjectStoreTest extends ObjectStoreContract {

  @TempDir
  static Path root;

  @Override
  protected ObjectStore openClient() {
    return new FileObjectStore(root);
  }

  @Test
  @DisplayName("the folder store's ETag is the SHA-256 of the content, and objects are plain files")
  void etagIsContentHash() throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);

    String etag = store.putIfAbsent("plain/apps.json", body);

    assertThat(etag).isEqualTo(ContentHash.sha256(body));
    assertThat(Files.readAllBytes(root.resolve("plain/apps.json"))).isEqualTo(body);
  }

  @Test
  @DisplayName("internal lock and temporary files are never listed")
  void internalsHidden() {
    FileObjectStore store = new FileObjectStore(root);
    store.put("visible/a.json", new byte[] {1});

    assertThat(store.list("")).noneMatch(k -> k.startsWith(".garden-internal"));
  }

  @Test
  @DisplayName("stored objects get the permissions the process umask gives any new file, not 0600")
  void objectsFollowTheUmask() throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    store.put("shared/apps.json", new byte[] {1});
    Path reference = Files.writeString(root.resolve("reference.txt"), "x");

    assertThat(Files.getPosixFilePermissions(root.resolve("shared/apps.json")))
        .isEqualTo(Files.getPosixFilePermissions(reference));
  }

  @Test
  @DisplayName("lock files are bounded: many keys share a fixed set, and the per-key files of old versions are removed")
  void lockFilesAreBounded(@TempDir Path folder) throws Exception {
    Path oldLocks = Files.createDirectories(folder.resolve(".garden-internal/locks"));
    Files.createFile(oldLocks.resolve("ab".repeat(32) + ".lock"));
    FileObjectStore store = new FileObjectStore(folder);
    for (int i = 0; i < 500; i++) {
      store.putIfAbsent("garden/v2/images/app-" + i + ".png", new byte[] {(byte) i});
    }
    assertThat(store.lockFiles()).isBetween(1, FileObjectStore.LOCK_STRIPES);
    assertThat(oldLocks.resolve("ab".repeat(32) + ".lock")).doesNotExist();
  }
}
