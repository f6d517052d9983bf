package io.garden.registry.publish;

import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ObjectStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FolderStorePublishTest extends PublishSafetyContract {

  @TempDir
  static Path root;

  @Override
  protected ObjectStore openStore(String namespace) {
    return new FileObjectStore(root.resolve(namespace));
  }
}
