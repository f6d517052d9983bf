package io.garden.gateway;

import io.garden.common.config.NumberSetting;
import io.garden.common.config.Secrets;
import io.garden.gateway.hooks.HookSettings;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway and the coordinator read from the environment, once.
 *
 * @param port          {@code GARDEN_PORT} (default 8080; 0 picks a free one)
 * @param apiToken      {@code GARDEN_API_TOKEN} or {@code GARDEN_API_TOKEN_FILE}; no default (garden up makes one)
 * @param allowedPaths  {@code GARDEN_ALLOWED_PATHS}: local folders a pipeline may read (path-separated)
 * @param allowedRepos  {@code GARDEN_ALLOWED_REPOS}: git URL prefixes a pipeline may check out (comma-separated)
 * @param maxParallel   {@code GARDEN_MAX_PARALLEL}: units of one step running at once per pipeline (default 4)
 * @param bodyLimit     {@code GARDEN_MAX_BODY_BYTES}: largest request body accepted (default 1 MiB)
 * @param hooks         webhooks, chat-ops and reporting back (see {@link HookSettings})
 */
public record GatewayConfig(int port, Optional<String> apiToken, List<Path> allowedPaths, List<String> allowedRepos,
                            int maxParallel, long bodyLimit, HookSettings hooks) {

  public static final int DEFAULT_PORT = 8080;

  public GatewayConfig {
    allowedPaths = List.copyOf(allowedPaths);
    allowedRepos = List.copyOf(allowedRepos);
  }

  public static GatewayConfig fromEnv(Map<String, String> env) {
    return new GatewayConfig(
        NumberSetting.atLeast(env, "GARDEN_PORT", DEFAULT_PORT, 0),
        Secrets.read(env, "GARDEN_API_TOKEN"),
        split(env.get("GARDEN_ALLOWED_PATHS"), java.io.File.pathSeparator).stream().map(Path::of).toList(),
        split(env.get("GARDEN_ALLOWED_REPOS"), ","),
        NumberSetting.atLeast(env, "GARDEN_MAX_PARALLEL", 4, 1),
        NumberSetting.atLeast(env, "GARDEN_MAX_BODY_BYTES", 1 << 20, 1024),
        HookSettings.fromEnv(env));
  }

  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(newPort, apiToken, allowedPaths, allowedRepos, maxParallel, bodyLimit, hooks);
  }

  public GatewayConfig withToken(String token) {
    return new GatewayConfig(port, Optional.of(token), allowedPaths, allowedRepos, maxParallel, bodyLimit, hooks);
  }

  /** The same, also allowing these folders (garden up --repo). */
  public GatewayConfig allowingPaths(List<Path> more) {
    List<Path> all = new java.util.ArrayList<>(allowedPaths);
    all.addAll(more);
    return new GatewayConfig(port, apiToken, all, allowedRepos, maxParallel, bodyLimit, hooks);
  }

  public GatewayConfig withHooks(HookSettings newHooks) {
    return new GatewayConfig(port, apiToken, allowedPaths, allowedRepos, maxParallel, bodyLimit, newHooks);
  }

  public SourcePolicy sourcePolicy() {
    return new SourcePolicy(allowedPaths, allowedRepos);
  }

  private static List<String> split(String value, String separator) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(java.util.regex.Pattern.quote(separator))).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }
}
