package io.garden.gateway.notify;

import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifySettingsTest {

  @Test
  @DisplayName("nothing set: no sink, nothing runs; publishes to stage and prod would be announced")
  void offByDefault() {
    NotifySettings settings = NotifySettings.fromEnv(Map.of());
    assertThat(settings.any()).isFalse();
    assertThat(settings.stages()).containsExactlyInAnyOrder(Stage.STAGE, Stage.PROD);
  }

  @Test
  @DisplayName("a webhook URL without its secret refuses to start and says what to set")
  void aWebhookWithoutASecretIsRefused() {
    assertThatThrownBy(() -> NotifySettings.fromEnv(Map.of("GARDEN_NOTIFY_WEBHOOK_URL", "https://h.example.com/")))
        .hasMessageContaining("GARDEN_NOTIFY_WEBHOOK_SECRET is not");
  }

  @Test
  @DisplayName("a stage that does not exist, a URL that is not http(s): refused, naming the variable")
  void badValuesAreRefused() {
    assertThatThrownBy(() -> NotifySettings.fromEnv(Map.of("GARDEN_NOTIFY_STAGES", "prod,production")))
        .hasMessageContaining("GARDEN_NOTIFY_STAGES names 'production'");
    assertThatThrownBy(() -> NotifySettings.fromEnv(Map.of("GARDEN_NOTIFY_SLACK_URL", "file:///etc/passwd")))
        .hasMessageContaining("GARDEN_NOTIFY_SLACK_URL");
  }

  @Test
  @DisplayName("the Slack URL (a credential) and the webhook secret never show in the settings' text")
  void secretsStayOutOfText() {
    NotifySettings settings = NotifySettings.fromEnv(Map.of("GARDEN_NOTIFY_SLACK_URL",
        "https://hooks.slack.com/services/T0/B0/topsecret", "GARDEN_NOTIFY_WEBHOOK_URL", "https://h.example.com/",
        "GARDEN_NOTIFY_WEBHOOK_SECRET", "hmac-key"));
    assertThat(settings.toString()).doesNotContain("topsecret", "hmac-key").contains("slack on");
  }
}
