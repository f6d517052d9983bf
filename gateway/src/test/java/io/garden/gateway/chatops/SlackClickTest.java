package io.garden.gateway.chatops;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackClickTest {

  private static final String PLAN = "sha256:" + "ab".repeat(32);

  private static byte[] form(String payload) {
    return ("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  private static String click(String user, String action, String value) {
    return "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + user + "\"},\"actions\":[{\"action_id\":\"" + action
        + "\",\"value\":\"" + value + "\"}]}";
  }

  @Test
  @DisplayName("a click on Approve names the Slack user, the pipeline and the plan the message showed")
  void readsAClick() {
    SlackApprovals.Click click = SlackApprovals.Click.parse(form(click("U123", "garden-approve", "p-1 " + PLAN)));
    assertThat(click).isEqualTo(new SlackApprovals.Click("U123", "p-1", PLAN, true));
    assertThat(SlackApprovals.Click.parse(form(click("U123", "garden-reject", "p-1 " + PLAN))).approve()).isFalse();
  }

  @Test
  @DisplayName("another app's button, a value that is not PIPELINE PLAN, a missing user: refused with what is wrong")
  void refusesWhatIsNotOurs() {
    assertThatThrownBy(() -> SlackApprovals.Click.parse(form(click("U1", "other-action", "p-1 " + PLAN))))
        .hasMessageContaining("not a garden button");
    assertThatThrownBy(() -> SlackApprovals.Click.parse(form(click("U1", "garden-approve", "p-1 ../../etc"))))
        .hasMessageContaining("does not name a pipeline and its plan");
    assertThatThrownBy(() -> SlackApprovals.Click.parse(form(click("u-1!", "garden-approve", "p-1 " + PLAN))))
        .hasMessageContaining("no Slack user id");
    assertThatThrownBy(() -> SlackApprovals.Click.parse("text=hello".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("no payload");
  }
}
