package io.garden.registry.publish;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.garden.common.store.LinearizableS3Front;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.S3ObjectStore;
import io.garden.common.store.S3StoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publish safety contract on a real S3 protocol server (S3Mock in-process, conditions made atomic). */
class S3StorePublishIT extends PublishSafetyContract {

  static {
    System.setProperty("aws.accessKeyId", "garden-test");
    System.setProperty("aws.secretAccessKey", "garden-test-secret");
  }

  @RegisterExtension
  static final S3MockExtension S3 = S3MockExtension.builder().silent().withInitialBuckets("registry").build();

  private static LinearizableS3Front front;

  @BeforeAll
  static void startFront() throws Exception {
    front = new LinearizableS3Front("http://127.0.0.1:" + S3.getHttpPort());
  }

  @AfterAll
  static void stopFront() {
    front.close();
  }

  @Override
  protected ObjectStore openStore(String namespace) {
    return new S3ObjectStore(new S3StoreSettings("registry", namespace, front.endpoint(), "us-east-1", true, null));
  }
}
