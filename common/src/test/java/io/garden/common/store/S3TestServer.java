package io.garden.common.store;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: a real S3 protocol server for a test class — Adobe S3Mock in-process, behind
 * {@link LinearizableS3Front} so concurrent conditional writes are atomic, as on S3. Buckets {@code garden} and
 * {@code registry} exist from the start.
 */
public final class S3TestServer implements BeforeAllCallback, AfterAllCallback {

  static {
    // S3Mock accepts any signature; the SDK's default chain still wants some credentials to sign with.
    System.setProperty("aws.accessKeyId", "garden-test");
    System.setProperty("aws.secretAccessKey", "garden-test-secret");
  }

  private final S3MockExtension s3 = S3MockExtension.builder().silent()
      .withInitialBuckets("garden", "registry").build();
  private LinearizableS3Front front;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    s3.beforeAll(context);
    front = new LinearizableS3Front(directEndpoint());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    front.close();
    s3.afterAll(context);
  }

  /** S3Mock itself, without the front (its conditional writes are check-then-act). */
  public String directEndpoint() {
    return "http://127.0.0.1:" + s3.getHttpPort();
  }

  /** A new client through the front, on {@code bucket} under {@code prefix}. */
  public S3ObjectStore client(String bucket, String prefix) {
    return new S3ObjectStore(new S3StoreSettings(bucket, prefix, front.endpoint(), "us-east-1", true, null));
  }
}
