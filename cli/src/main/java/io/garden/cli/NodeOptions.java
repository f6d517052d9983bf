package io.garden.cli;

import io.garden.common.config.GardenConfig;
import io.garden.gateway.GatewayConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where an in-process node keeps its data and which repositories it may read: {@code garden up}'s options. */
public final class NodeOptions {

  @Option(names = "--port", paramLabel = "N", description = "Port of the HTTP API (default: GARDEN_PORT, else 8080;"
      + " 0 picks a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Where the HTTP API listens (default:"
      + " GARDEN_BIND, else 127.0.0.1: this machine only; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the registry store, pipeline artifacts and"
      + " (garden up) the broker's data and the API token are kept, across restarts (default: .garden in the first"
      + " repository).")
  Path dataDir;

  @Option(names = "--repo", paramLabel = "PATH", description = "An extensions repository pipelines may read; repeat"
      + " for more (also GARDEN_ALLOWED_PATHS). Default: the current directory.")
  List<Path> repos = new ArrayList<>();

  /** The repositories named (real, absolute), the current directory when none was. */
  List<Path> repositories() {
    List<Path> roots = new ArrayList<>();
    for (Path repo : repos.isEmpty() ? List.of(Path.of("")) : repos) {
      Path root = repo.toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("Error: repository folder not found: " + root);
      }
      roots.add(root);
    }
    return roots;
  }

  GardenConfig config(GardenConfig base) {
    return base.withStoreDefault(dataFolder().resolve("store"));
  }

  /** The data folder: --data-dir, else .garden in the first repository. */
  Path dataFolder() {
    return dataDir != null ? dataDir.toAbsolutePath().normalize() : repositories().get(0).resolve(".garden");
  }

  /** For everything in one process (garden up, ci-pipeline): this machine only unless told otherwise. */
  GatewayConfig gateway(Map<String, String> env, int defaultPort) {
    return bound(gatewayPort(env, defaultPort).allowingPaths(repositories()), env, GatewayConfig.LOOPBACK);
  }

  /**
   * For a standalone gateway: only the folders named (--repo, GARDEN_ALLOWED_PATHS), never the current one; every
   * interface unless told otherwise, as a service is reached from elsewhere.
   */
  GatewayConfig gatewayNamedOnly(Map<String, String> env, int defaultPort) {
    GatewayConfig config = repos.isEmpty() ? gatewayPort(env, defaultPort)
        : gatewayPort(env, defaultPort).allowingPaths(repositories());
    return bound(config, env, GatewayConfig.EVERY_INTERFACE);
  }

  private GatewayConfig bound(GatewayConfig config, Map<String, String> env, String fallback) {
    String fromEnv = env.get("GARDEN_BIND");
    return config.withBind(bind != null ? bind : fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : fallback);
  }

  private GatewayConfig gatewayPort(Map<String, String> env, int defaultPort) {
    GatewayConfig fromEnv = GatewayConfig.fromEnv(env);
    return fromEnv.withPort(port != null ? port : env.containsKey("GARDEN_PORT") ? fromEnv.port() : defaultPort);
  }
}
