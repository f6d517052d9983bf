package io.garden.cli;

import io.garden.cli.remote.EventLines;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.Topics;
import io.garden.gateway.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code garden up}: the whole system in one process on embedded defaults. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Run the whole system in one process until Ctrl+C.",
        "",
        "Run the whole system in one process: a Kafka broker (embedded unless KAFKA_BOOTSTRAP_SERVERS is set),",
        "its topics, every worker, the coordinator and the HTTP API.",
        "",
        "Prints where everything listens and the API token (made up unless GARDEN_API_TOKEN is set, and kept",
        "with the broker's data in --data-dir, so a restart keeps pipelines, history and token), then one",
        "line per pipeline event, until Ctrl+C. Submit work with `GARDEN_URL=... garden ci-pipeline`, or POST",
        "/api/v1/pipelines."})
final class UpCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  NodeOptions node;

  @Option(names = "--check", description = "Start everything, report, stop and exit (a smoke test).")
  boolean check;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = parent.spec.commandLine().getOut();
    GatewayConfig gateway = node.gateway(parent.env(), GatewayConfig.DEFAULT_PORT);
    requireFreePort(gateway);
    // The data folder defaults to .garden in the first repository: the broker's data must never be committed.
    node.repositories().forEach(repo -> io.garden.extension.model.WorkingFiles.keepOutOfGit(repo)
        .ifPresent(added -> parent.spec.commandLine().getErr().println("garden: " + added)));
    GardenNode running = GardenNode.start(parent.env(), node.config(parent.config()), gateway, out,
        EnumSet.allOf(GardenNode.Role.class), node.dataFolder());
    try {
      out.println("Kafka at " + running.bootstrapServers() + "; topics ready: " + String.join(", ", Topics.names()));
      out.println("Running: " + String.join(", ", running.components()));
      out.println("Repositories: " + node.repositories().stream().map(Path::toString)
          .collect(Collectors.joining(", ")));
      out.println("API at " + running.url() + running.listening() + "  (token: " + (gateway.apiToken().isPresent()
          ? "from GARDEN_API_TOKEN" : running.token()) + ")");
      out.println("  export GARDEN_URL=" + running.url() + (gateway.apiToken().isPresent() ? ""
          : " GARDEN_API_TOKEN=" + running.token()));
      if (check) {
        out.println("garden up --check: OK");
        running.close();
        return ExitCodes.OK;
      }
      out.println("Garden is up. Press Ctrl+C to stop.");
      out.flush();
      AuditStreamReader.open(running.vertx(), running.kafka("garden-up"), "garden-up-tail", AuditStreamReader.StartAt.end(), event -> EventLines.of(event.envelope())
              .ifPresent(line -> {
                out.println(line);
                out.flush();
              }))
          .await();
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    return Foreground.serve(running, out);
  }

  /**
   * The API's port is looked at before anything starts: taken, it is said at once, not after the broker and every
   * worker started and had to be stopped again.
   */
  private static void requireFreePort(GatewayConfig gateway) {
    if (gateway.port() == 0) {
      return;
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(gateway.bind()), gateway.port()));
    } catch (java.io.IOException taken) {
      throw new IllegalArgumentException("Error: port " + gateway.port() + " on " + gateway.bind() + " is taken"
          + " (another garden up, or another server): stop it, or choose another port with --port "
          + (gateway.port() + 1) + " (or GARDEN_PORT)");
    }
  }
}