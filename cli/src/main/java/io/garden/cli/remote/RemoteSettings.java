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
    return new RemoteSettings(url == null || url.isBlank() ? Optional.empty()
        : Optional.of(checked(url.trim(), "GARDEN_URL")), Secrets.read(env, "GARDEN_API_TOKEN"));
  }

  /**
   * {@code url} when it is one garden can call: {@code http://} or {@code https://}, a host, an optional port.
   *
   * @throws IllegalArgumentException naming {@code setting} and the way to write it
   */
  static String checked(String url, String setting) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      String example = url.contains("://") ? "http://HOST:PORT" : "http://" + url;
      throw new IllegalArgumentException("Error: " + setting + "=" + url + " is not an address garden can call:"
          + " write it as " + example + " (http:// or https://, the gateway's host and port)");
    }
    return url;
  }

  /** A client for {@code url} (or GARDEN_URL when null); empty when neither is set: run locally. */
  public Optional<GatewayClient> client(String override) {
    Optional<String> target = Optional.ofNullable(override).map(u -> checked(u.trim(), "--remote")).or(() -> url);
    return target.map(u -> new GatewayClient(u, token.orElseThrow(() -> new IllegalArgumentException(
        "Error: remote mode (" + u + ") needs GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE): the token garden up"
            + " printed, or one garden token create made"))));
  }
}
