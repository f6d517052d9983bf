package io.garden.gateway.notify;

import io.garden.common.config.Secrets;
import io.garden.common.model.Stage;

import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where notices go, read from the environment once. A sink that is not set is off; with none, nothing runs. A
 * generic webhook is signed, so its URL without {@code GARDEN_NOTIFY_WEBHOOK_SECRET} refuses to start rather than
 * post unsigned notices a receiver could not tell from forged ones.
 *
 * @param slack     {@code GARDEN_NOTIFY_SLACK_URL} (or {@code _FILE}): a Slack incoming webhook; its URL is its
 *                  credential, so it is a secret
 * @param webhook   {@code GARDEN_NOTIFY_WEBHOOK_URL} with {@code GARDEN_NOTIFY_WEBHOOK_SECRET} (or {@code _FILE}):
 *                  JSON notices signed with HMAC-SHA256 as GitHub signs its webhooks
 * @param stages    {@code GARDEN_NOTIFY_STAGES} (default {@code stage,prod}): publishes to these are announced
 * @param publicUrl {@code GARDEN_PUBLIC_URL}: the gateway as people reach it, for a link to the run; none without
 */
public record NotifySettings(Optional<URI> slack, Optional<Webhook> webhook, Set<Stage> stages,
                             Optional<URI> publicUrl) {

  /** A generic outgoing webhook and the key its notices are signed with. */
  public record Webhook(URI url, String secret) {

    @Override
    public String toString() {
      return "Webhook[" + url + ", secret set]";
    }
  }

  public NotifySettings {
    stages = stages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(stages));
  }

  public static NotifySettings fromEnv(Map<String, String> env) {
    Optional<URI> slack = Secrets.read(env, "GARDEN_NOTIFY_SLACK_URL").map(u -> url(u, "GARDEN_NOTIFY_SLACK_URL"
        + " (or its _FILE)"));
    Optional<URI> webhookUrl = Optional.ofNullable(env.get("GARDEN_NOTIFY_WEBHOOK_URL")).filter(s -> !s.isBlank())
        .map(u -> url(u, "GARDEN_NOTIFY_WEBHOOK_URL"));
    Optional<String> secret = Secrets.read(env, "GARDEN_NOTIFY_WEBHOOK_SECRET");
    if (webhookUrl.isPresent() && secret.isEmpty()) {
      throw new IllegalArgumentException("GARDEN_NOTIFY_WEBHOOK_URL is set but GARDEN_NOTIFY_WEBHOOK_SECRET is not:"
          + " notices are signed (X-Garden-Signature-256) so the receiver can tell them from forged ones; set the"
          + " secret (or GARDEN_NOTIFY_WEBHOOK_SECRET_FILE), or unset the URL");
    }
    String stages = env.getOrDefault("GARDEN_NOTIFY_STAGES", "stage,prod");
    Set<Stage> announced = EnumSet.noneOf(Stage.class);
    for (String stage : Arrays.stream(stages.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      try {
        announced.add(Stage.parse(stage));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("GARDEN_NOTIFY_STAGES names '" + stage + "': a stage is dev, stage or"
            + " prod (comma-separated; empty announces no publish)");
      }
    }
    Optional<URI> publicUrl = Optional.ofNullable(env.get("GARDEN_PUBLIC_URL")).filter(s -> !s.isBlank())
        .map(u -> url(u, "GARDEN_PUBLIC_URL"));
    return new NotifySettings(slack, webhookUrl.map(u -> new Webhook(u, secret.orElseThrow())), announced,
        publicUrl);
  }

  /** Nowhere to send: what tests and {@code garden up} start from. */
  public static NotifySettings none() {
    return new NotifySettings(Optional.empty(), Optional.empty(), Set.of(), Optional.empty());
  }

  public boolean any() {
    return slack.isPresent() || webhook.isPresent();
  }

  private static URI url(String value, String name) {
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a URL: " + e.getMessage());
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an http(s) URL with a host, e.g. https://hooks.example.com"
          + "/garden");
    }
    return uri;
  }

  @Override
  public String toString() {
    return "NotifySettings[slack " + (slack.isPresent() ? "on" : "off") + ", webhook " + webhook.map(w ->
        w.url().toString()).orElse("off") + ", stages " + stages + "]";
  }
}
