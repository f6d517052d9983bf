package io.garden.common.store;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The object-store contract against a real S3 protocol server: Adobe S3Mock, in-process, which enforces
 * conditional writes; behind {@link LinearizableS3Front} so concurrent conditions are atomic, as on S3.
 */
class S3ObjectStoreIT extends ObjectStoreContract {

  static {
    // S3Mock accepts any signature; the SDK's default chain still wants some credentials to sign with.
    System.setProperty("aws.accessKeyId", "garden-test");
    System.setProperty("aws.secretAccessKey", "garden-test-secret");
  }

  @RegisterExtension
  static final S3MockExtension S3 = S3MockExtension.builder().silent().withInitialBuckets("garden").build();

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
  protected ObjectStore openClient() {
    return new S3ObjectStore(new S3StoreSettings("garden", "contract", front.endpoint(), "us-east-1", true, null));
  }

  @Test
  @DisplayName("talking to S3Mock directly, a stale If-Match is still refused (the server enforces conditions)")
  void serverEnforcesConditionsWithoutTheFront() {
    try (ObjectStore direct = new S3ObjectStore(new S3StoreSettings(
        "garden", "direct", "http://127.0.0.1:" + S3.getHttpPort(), "us-east-1", true, null))) {
      String stale = direct.putIfAbsent("k.json", "a".getBytes(StandardCharsets.UTF_8));
      direct.putIfMatch("k.json", "b".getBytes(StandardCharsets.UTF_8), stale);

      assertThatThrownBy(() -> direct.putIfMatch("k.json", "c".getBytes(StandardCharsets.UTF_8), stale))
          .isInstanceOf(PreconditionFailedException.class);
      assertThatThrownBy(() -> direct.putIfAbsent("k.json", "d".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(new String(direct.get("k.json").orElseThrow().body(), StandardCharsets.UTF_8)).isEqualTo("b");
    }
  }
}
