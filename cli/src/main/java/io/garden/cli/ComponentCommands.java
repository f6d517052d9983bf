package io.garden.cli;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.service.HealthCheck;
import io.garden.common.service.HealthEndpoint;
import io.garden.common.service.ServiceLogging;

import io.garden.common.config.GardenConfig;
import io.garden.gateway.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code garden gateway} and {@code garden worker ROLE}: one component per process against a Kafka cluster, so
 * each can run on its own host and scale by starting more of it (one consumer group per role).
 */
final class ComponentCommands {

  private ComponentCommands() {
  }

  /** The cluster every component of a deployment shares; none is started here. */
  static GardenConfig clustered(GardenConfig config, Path dataDir) {
    if (config.kafkaBootstrapServers() == null) {
      throw new IllegalArgumentException("Error: set KAFKA_BOOTSTRAP_SERVERS to the cluster this component joins"
          + " (or run everything in one process with `garden up`)");
    }
    Path dir = dataDir != null ? dataDir : Path.of(".garden");
    return config.withStoreDefault(dir.toAbsolutePath().normalize().resolve("store"));
  }

  /**
   * Serves the component's /health, /ready and /metrics (as its image does) on {@code GARDEN_HEALTH_PORT}, or on a
   * free port when that is not set — two workers on one host must not fight over a default — and runs until Ctrl+C.
   */
  static int run(GardenNode node, PrintWriter out, String what, Component component, Map<String, String> env)
      throws InterruptedException {
    int port = env.get("GARDEN_HEALTH_PORT") == null || env.get("GARDEN_HEALTH_PORT").isBlank() ? 0
        : HealthCheck.port(env);
    // From here on it is a service: it says what happens (joins, rebalances, lock hand-overs, Kafka lost and back).
    HealthEndpoint health = null;
    boolean serving = false;
    try {
      ServiceLogging.reconfigure(env);
      health = HealthEndpoint.prepare(node.vertx(), component, node.kafka(component.id() + "-ready"));
      health.listen(node.vertx(), component.id(), node.components(), node.about(), () -> false, port);
      out.println(what + " joined Kafka at " + node.bootstrapServers() + ": " + String.join(", ", node.components()));
      out.println("/health, /ready and /metrics on port " + health.port() + (port == 0
          ? " (GARDEN_HEALTH_PORT sets it)" : ""));
      out.println("Press Ctrl+C to stop.");
      out.flush();
      serving = true;
      return Foreground.serve(node, out);
    } finally {
      if (health != null) {
        health.close();
      }
      if (!serving) {
        // A port taken, or a stop asked before it served: the started node must not stay behind, working.
        node.close();
      }
    }
  }

  @Command(name = "gateway", mixinStandardHelpOptions = true,
      description = {
          "Run the HTTP API and the coordinator against the Kafka cluster at KAFKA_BOOTSTRAP_SERVERS.",
          "",
          "Needs GARDEN_API_TOKENS_FILE (named credentials with roles: garden token create) or the one shared",
          "GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE). Listens on GARDEN_BIND / --bind (default 0.0.0.0).",
          "Pipelines may read folders under --repo /",
          "GARDEN_ALLOWED_PATHS and git repositories under GARDEN_ALLOWED_REPOS. Start workers with",
          "`garden worker validate|build|registry`, on this host or others sharing the same stores."})
  static final class Gateway implements Callable<Integer> {
    @ParentCommand
    GardenCommand parent;

    @Mixin
    NodeOptions node;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = parent.spec.commandLine().getOut();
      GatewayConfig gateway = node.gatewayNamedOnly(parent.env(), GatewayConfig.DEFAULT_PORT);
      if (gateway.apiToken().isEmpty() && gateway.credentialsFile().isEmpty()) {
        throw new IllegalArgumentException("Error: garden gateway needs GARDEN_API_TOKENS_FILE (named credentials:"
            + " garden token create NAME --roles ...) or GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE; one shared admin"
            + " credential): what clients send as 'Authorization: Bearer ...'");
      }
      GardenNode running = GardenNode.start(parent.env(), clustered(parent.config(), node.dataDir), gateway, out,
          EnumSet.of(GardenNode.Role.GATEWAY));
      out.println("API at " + running.url() + running.listening());
      return run(running, out, "gateway", Component.GATEWAY, parent.env());
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = {
          "Run one worker (validate, build or registry) against a Kafka cluster.",
          "",
          "Run one worker against the Kafka cluster at KAFKA_BOOTSTRAP_SERVERS:",
          "  validate  sync-compose, check and validate requests",
          "  build     build, test and push requests (needs a container engine at DOCKER_HOST)",
          "  registry  build/package/download-registry requests and the publish topic",
          "More workers of one role share its request partitions (one consumer group per role)."})
  static final class Worker implements Callable<Integer> {
    @ParentCommand
    GardenCommand parent;

    @Parameters(index = "0", paramLabel = "ROLE", description = "validate, build or registry.")
    String role;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where a folder store is kept when GARDEN_STORE"
        + " names none (default: ./.garden). Workers on several hosts need a shared store (S3).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = parent.spec.commandLine().getOut();
      GardenNode.Role chosen = role(role);
      GardenNode running = GardenNode.start(parent.env(), clustered(parent.config(), dataDir),
          GatewayConfig.fromEnv(parent.env()), out, EnumSet.of(chosen));
      return run(running, out, role + " worker", switch (chosen) {
        case VALIDATE -> Component.VALIDATE_WORKER;
        case BUILD -> Component.BUILD_WORKER;
        default -> Component.REGISTRY_WORKER;
      }, parent.env());
    }

    private static GardenNode.Role role(String name) {
      if (name.equals("validate") || name.equals("build") || name.equals("registry")) {
        return GardenNode.Role.valueOf(name.toUpperCase(Locale.ROOT));
      }
      throw new IllegalArgumentException("Error: unknown worker '" + name + "'; expected one of: validate, build,"
          + " registry");
    }
  }
}
