package io.garden.gateway.notify;

import io.garden.common.format.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SinkRequestTest {

  private static final Notice NOTICE = new Notice("e-1", "pipeline.finished", "pipeline-failed", "p-1",
      "Pipeline p-1 failed", List.of("build: <!channel> & friends"), Map.of("pipeline", "p-1"));

  @Test
  @DisplayName("the generic webhook's body verifies against X-Garden-Signature-256 as GitHub's scheme says:"
      + " sha256= and the hex HMAC-SHA256 of the raw body under the shared secret")
  void theWebhookSignatureVerifiesWithTheDocumentedScheme() throws Exception {
    SinkRequest request = SinkRequest.webhook(new NotifySettings.Webhook(URI.create("https://hooks.example.com/g"),
        "s3cret"), NOTICE);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(request.headers()).containsEntry(SinkRequest.SIGNATURE_HEADER,
        "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
    assertThat(request.headers()).containsEntry(SinkRequest.DELIVERY_HEADER, "e-1")
        .containsEntry(SinkRequest.EVENT_HEADER, "pipeline-failed");
    var body = Json.events().readTree(request.body());
    assertThat(body.path("id").asText()).isEqualTo("e-1");
    assertThat(body.path("details").get(0).asText()).isEqualTo("build: <!channel> & friends");
  }

  @Test
  @DisplayName("a body changed by one byte no longer matches its signature")
  void aChangedBodyDoesNotVerify() {
    SinkRequest request = SinkRequest.webhook(new NotifySettings.Webhook(URI.create("https://h.example.com/"),
        "s3cret"), NOTICE);
    byte[] changed = request.body().clone();
    changed[changed.length - 2] ^= 1;
    assertThat(SinkRequest.signature("s3cret", changed))
        .isNotEqualTo(request.headers().get(SinkRequest.SIGNATURE_HEADER));
  }

  @Test
  @DisplayName("text from events reaches Slack escaped: it can neither mention @channel nor make a link")
  void slackTextIsEscaped() throws Exception {
    SinkRequest request = SinkRequest.slack(URI.create("https://hooks.slack.com/services/T/B/x"), NOTICE);
    String text = Json.events().readTree(request.body()).path("text").asText();
    assertThat(text).isEqualTo("*Pipeline p-1 failed*\nbuild: &lt;!channel&gt; &amp; friends");
    assertThat(request.toString()).doesNotContain("hooks.slack.com");
  }
}
