package io.garden.common.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The object-store contract against a real S3 protocol server (see {@link S3TestServer}). */
class S3ObjectStoreIT extends ObjectStoreContract {

  @RegisterExtension
  static final S3TestServer S3 = new S3TestServer();

  @Override
  protected ObjectStore openClient() {
    return S3.client("garden", "contract");
  }

  @Test
  @DisplayName("talking to S3Mock directly, a stale If-Match is still refused (the server enforces conditions)")
  void serverEnforcesConditionsWithoutTheFront() {
    try (ObjectStore direct = new S3ObjectStore(new S3StoreSettings(
        "garden", "direct", S3.directEndpoint(), "us-east-1", true, null))) {
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
