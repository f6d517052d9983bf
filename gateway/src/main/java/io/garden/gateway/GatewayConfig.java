package io.garden.gateway;

import io.garden.common.config.NumberSetting;
import io.garden.common.config.Secrets;
import io.garden.gateway.chatops.ChatSettings;
import io.garden.gateway.hooks.HookSettings;
import io.garden.gateway.api.StreamLimits;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.intake.AccessPolicy;
import io.garden.gateway.sources.SourcePolicy;
import io.garden.gateway.views.HistorySettings;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway and the coordinator read from the environment, once. Each door's own settings are its own
 * record ({@link HookSettings}, {@link ChatSettings}); what every door shares (who may do what, which sources are
 * allowed, the HTTP bounds) lives here.
 *
 * @param port            {@code GARDEN_PORT} (default 8080; 0 picks a free one)
 * @param bind            {@code GARDEN_BIND}: the address the API listens on (default 0.0.0.0, every interface, as
 *                        a service in a container needs; {@code garden up} defaults to 127.0.0.1)
 * @param apiToken        {@code GARDEN_API_TOKEN} or {@code GARDEN_API_TOKEN_FILE}: one shared admin credential
 * @param credentialsFile {@code GARDEN_API_TOKENS_FILE}: named credentials with roles ({@code garden token})
 * @param allowedPaths    {@code GARDEN_ALLOWED_PATHS}: local folders a pipeline may read (path-separated)
 * @param allowedRepos    {@code GARDEN_ALLOWED_REPOS}: git repositories a pipeline may check out (comma-separated;
 *                        an exact repository, or a prefix ending in '/')
 * @param maxParallel     {@code GARDEN_MAX_PARALLEL}: units of one step running at once per pipeline (default 4)
 * @param http            bounds on connections and bodies (see {@link HttpLimits})
 * @param access          who may publish and unlock from chat and webhooks (see {@link AccessPolicy})
 * @param hooks           webhooks and reporting back (see {@link HookSettings})
 * @param chat            chat-ops (see {@link ChatSettings})
 * @param buildWorkerWait {@code GARDEN_BUILD_WORKER_WAIT_SECONDS} (30): how long a pipeline with image steps waits
 *                        for a build worker to be there before it fails
 * @param streams         how many event streams it serves ({@link StreamLimits})
 * @param history         what a restart replays and what stays in memory ({@link HistorySettings})
 * @param protection      which stages' writes wait for approval ({@link io.garden.gateway.coordinator.ProtectedStages})
 * @param notices         where notices of failures and publishes go ({@link io.garden.gateway.notify.NotifySettings})
 */
public record GatewayConfig(int port, String bind, Optional<String> apiToken, Optional<Path> credentialsFile,
                            List<Path> allowedPaths, List<String> allowedRepos, int maxParallel, HttpLimits http,
                            AccessPolicy access, HookSettings hooks, ChatSettings chat,
                            java.time.Duration buildWorkerWait, StreamLimits streams,
                            HistorySettings history, io.garden.gateway.notify.NotifySettings notices,
                            io.garden.gateway.coordinator.ProtectedStages protection) {

  public static final int DEFAULT_PORT = 8080;
  public static final String EVERY_INTERFACE = "0.0.0.0";
  public static final String LOOPBACK = "127.0.0.1";

  public GatewayConfig {
    allowedPaths = List.copyOf(allowedPaths);
    allowedRepos = List.copyOf(allowedRepos);
  }

  public static GatewayConfig fromEnv(Map<String, String> env) {
    String tokens = env.get("GARDEN_API_TOKENS_FILE");
    String bind = env.get("GARDEN_BIND");
    return new GatewayConfig(
        NumberSetting.atLeast(env, "GARDEN_PORT", DEFAULT_PORT, 0),
        bind == null || bind.isBlank() ? EVERY_INTERFACE : bind.trim(),
        Secrets.read(env, "GARDEN_API_TOKEN"),
        tokens == null || tokens.isBlank() ? Optional.empty() : Optional.of(Path.of(tokens.trim())),
        split(env.get("GARDEN_ALLOWED_PATHS"), java.io.File.pathSeparator).stream().map(Path::of).toList(),
        split(env.get("GARDEN_ALLOWED_REPOS"), ","),
        NumberSetting.atLeast(env, "GARDEN_MAX_PARALLEL", 4, 1),
        HttpLimits.fromEnv(env),
        AccessPolicy.fromEnv(env),
        HookSettings.fromEnv(env),
        ChatSettings.fromEnv(env),
        java.time.Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_BUILD_WORKER_WAIT_SECONDS", 30, 0)),
        StreamLimits.fromEnv(env),
        HistorySettings.fromEnv(env),
        io.garden.gateway.notify.NotifySettings.fromEnv(env),
        io.garden.gateway.coordinator.ProtectedStages.fromEnv(env));
  }

  /** True when the API listens on every interface (and is reachable from other machines). */
  public static boolean everyInterface(String bind) {
    return bind.equals(EVERY_INTERFACE) || bind.equals("::");
  }

  public long bodyLimit() {
    return http.bodyLimit();
  }

  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(newPort, bind, apiToken, credentialsFile, allowedPaths, allowedRepos, maxParallel,
        http, access, hooks, chat, buildWorkerWait, streams, history, notices, protection);
  }

  public GatewayConfig withBind(String newBind) {
    return new GatewayConfig(port, newBind, apiToken, credentialsFile, allowedPaths, allowedRepos, maxParallel,
        http, access, hooks, chat, buildWorkerWait, streams, history, notices, protection);
  }

  public GatewayConfig withToken(String token) {
    return new GatewayConfig(port, bind, Optional.of(token), credentialsFile, allowedPaths, allowedRepos,
        maxParallel, http, access, hooks, chat, buildWorkerWait, streams, history, notices, protection);
  }

  /** The same, also allowing these folders (garden up --repo). */
  public GatewayConfig allowingPaths(List<Path> more) {
    List<Path> all = new java.util.ArrayList<>(allowedPaths);
    all.addAll(more);
    return new GatewayConfig(port, bind, apiToken, credentialsFile, all, allowedRepos, maxParallel, http, access,
        hooks, chat, buildWorkerWait, streams, history, notices, protection);
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
