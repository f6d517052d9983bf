package io.garden.registry.publish;

import io.garden.common.store.ObjectStore;
import io.garden.common.store.S3TestServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publish safety contract on a real S3 protocol server (see {@link S3TestServer}). */
class S3StorePublishIT extends PublishSafetyContract {

  @RegisterExtension
  static final S3TestServer S3 = new S3TestServer();

  @Override
  protected ObjectStore openStore(String namespace) {
    return S3.client("registry", namespace);
  }

  /**
   * Four rounds of eight contended publishes prove the store's conditional writes (each round over HTTP costs seconds);
   * the folder store runs twenty of the same rounds.
   */
  @Override
  protected int concurrentRounds() {
    return 4;
  }
}
