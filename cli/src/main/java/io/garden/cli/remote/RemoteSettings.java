package io.garden.cli.remote;

import io.garden.common.config.Secrets;

import java.util.Map;
import java.util.Optional;

/**
 * Where remote mode sends pipelines: {@code GARDEN_URL} and the token {@code GARDEN_API_TOKEN} (or
 * {@code GARDEN_API_TOKEN_FILE}), read once with the rest of the environment.
 */
public record RemoteSettings(Optional<String> url, Optional<String> token) {

  public static RemoteSettings fromEnv(Map<String, String> env) {
    String url = env.get("GARDEN_URL");
    return new RemoteSettings(url == null || url.isBlank() ? Optional.empty() : Optional.of(url.trim()),
        Secrets.read(env, "GARDEN_API_TOKEN"));
  }

  /** A client for {@code url} (or GARDEN_URL when null); empty when neither is set: run locally. */
  public Optional<GatewayClient> client(String override) {
    Optional<String> target = Optional.ofNullable(override).or(() -> url);
    return target.map(u -> new GatewayClient(u, token.orElseThrow(() -> new IllegalArgumentException(
        "Error: remote mode (" + u + ") needs GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE): the token garden up"
            + " printed, or one garden token create made"))));
  }
}
