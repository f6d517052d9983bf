package io.garden.gateway.hooks;


import io.garden.common.config.NumberSetting;
import io.garden.common.config.Secrets;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the webhook endpoints and the commit-status reporter read from the environment, once. An endpoint whose secret is not
 * set is off (404). Secrets come from the variable or its {@code _FILE} form and are never printed: {@link #toString}
 * says only which are set.
 *
 * @param githubSecret   {@code GARDEN_GITHUB_WEBHOOK_SECRET}: HMAC key of {@code POST /webhooks/github}
 * @param gitlabToken    {@code GARDEN_GITLAB_WEBHOOK_TOKEN}: the {@code X-Gitlab-Token} of
 *                       {@code POST /webhooks/gitlab}
 * @param githubToken    {@code GARDEN_GITHUB_TOKEN}: commit statuses on GitHub
 * @param gitlabApiToken {@code GARDEN_GITLAB_TOKEN}: commit statuses on GitLab
 * @param githubApi      {@code GARDEN_GITHUB_API_URL} (https://api.github.com)
 * @param gitlabApi      {@code GARDEN_GITLAB_API_URL} (https://gitlab.com/api/v4)
 * @param supersede      {@code GARDEN_SUPERSEDE} (true): a newer push cancels the older pipeline of its ref
 * @param dedupWindow    {@code GARDEN_DEDUP_WINDOW_MINUTES} (1440): how long a delivery is remembered
 */
public record HookSettings(Optional<String> githubSecret, Optional<String> gitlabToken,
                           Optional<String> githubToken, Optional<String> gitlabApiToken, URI githubApi,
                           URI gitlabApi, HookPolicy policy, boolean supersede, Duration dedupWindow) {

  public static HookSettings fromEnv(Map<String, String> env) {
    return new HookSettings(
        Secrets.read(env, "GARDEN_GITHUB_WEBHOOK_SECRET"),
        Secrets.read(env, "GARDEN_GITLAB_WEBHOOK_TOKEN"),
        Secrets.read(env, "GARDEN_GITHUB_TOKEN"),
        Secrets.read(env, "GARDEN_GITLAB_TOKEN"),
        URI.create(env.getOrDefault("GARDEN_GITHUB_API_URL", "https://api.github.com")),
        URI.create(env.getOrDefault("GARDEN_GITLAB_API_URL", "https://gitlab.com/api/v4")),
        new HookPolicy(Optional.ofNullable(blankToNull(env.get("GARDEN_BOT_IDENTITY"))),
            list(env.get("GARDEN_TRUST_FORKS")), HookPolicy.planStages(env.get("GARDEN_PLAN_STAGES"))),
        !"false".equalsIgnoreCase(env.getOrDefault("GARDEN_SUPERSEDE", "true").trim()),
        Duration.ofMinutes(NumberSetting.atLeast(env, "GARDEN_DEDUP_WINDOW_MINUTES", 1440, 1)));
  }

  /** No endpoint on, nothing reported: what tests and {@code garden up} start from. */
  public static HookSettings none() {
    return fromEnv(Map.of());
  }

  static Set<String> list(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Override
  public String toString() {
    return "HookSettings[github webhook " + on(githubSecret) + ", gitlab webhook " + on(gitlabToken) + ", github statuses " + on(githubToken) + ", gitlab statuses " + on(gitlabApiToken)
        + ", supersede " + supersede + ", dedup window " + dedupWindow + "]";
  }

  private static String on(Optional<String> secret) {
    return secret.isPresent() ? "on" : "off";
  }
}
