package io.garden.gateway.chatops;

import io.garden.common.config.Secrets;

import java.util.Map;
import java.util.Optional;

/**
 * What the chat-ops endpoint reads from the environment, once. It is off (404) while its signing secret is unset;
 * the secret comes from the variable or its {@code _FILE} form and is never printed.
 *
 * @param slackSecret    {@code GARDEN_SLACK_SIGNING_SECRET}: signing secret of {@code POST /chatops/slack}
 * @param slackReplyUrls {@code GARDEN_SLACK_RESPONSE_URL_PREFIX} (https://hooks.slack.com/): where replies may go
 * @param chatSource     {@code GARDEN_CHATOPS_REPO}: the repository chat commands work on
 */
public record ChatSettings(Optional<String> slackSecret, String slackReplyUrls, Optional<String> chatSource) {

  public static ChatSettings fromEnv(Map<String, String> env) {
    String repo = env.get("GARDEN_CHATOPS_REPO");
    return new ChatSettings(Secrets.read(env, "GARDEN_SLACK_SIGNING_SECRET"),
        env.getOrDefault("GARDEN_SLACK_RESPONSE_URL_PREFIX", "https://hooks.slack.com/"),
        repo == null || repo.isBlank() ? Optional.empty() : Optional.of(repo.trim()));
  }

  @Override
  public String toString() {
    return "ChatSettings[slack " + (slackSecret.isPresent() ? "on" : "off") + ", replies to " + slackReplyUrls
        + ", repository " + chatSource.orElse("(none)") + "]";
  }
}
