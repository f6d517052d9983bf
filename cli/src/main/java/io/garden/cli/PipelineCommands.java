package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.EventLines;
import io.garden.cli.remote.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Commands that look at pipelines on a gateway: tail, status, pipelines, cancel. */
final class PipelineCommands {

  private PipelineCommands() {
  }

  /** What every one of them shares: the gateway to ask. */
  abstract static class OnGateway implements Callable<Integer> {

    @ParentCommand
    GardenCommand parent;

    @Option(names = "--remote", paramLabel = "URL", description = "The gateway (default: GARDEN_URL).")
    String remote;

    GatewayClient client() {
      PrintWriter err = parent.spec.commandLine().getErr();
      return parent.remote().client(remote).orElseThrow(() -> new IllegalArgumentException(
          "Error: this command asks a gateway: set GARDEN_URL (and GARDEN_API_TOKEN), or pass --remote URL"))
          .onReconnect(notice -> {
            err.println("garden: " + notice);
            err.flush();
          });
    }

    PrintWriter out() {
      return parent.spec.commandLine().getOut();
    }
  }

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Follow the audit stream: one line per event, as it happens (Ctrl+C to stop).",
          "Filters combine; --since starts in the past (an ISO time, or a stream position)."})
  static final class Tail extends OnGateway {

    @Option(names = "--pipeline", paramLabel = "ID", description = "Only this pipeline's events (from its first).")
    String pipeline;

    @Option(names = "--type", paramLabel = "T", description = "Only these event types (comma-separated; 'step.'"
        + " means every step event).")
    String type;

    @Option(names = "--extension", paramLabel = "X", description = "Only events about this extension id"
        + " (apps/NAME).")
    String extension;

    @Option(names = "--since", paramLabel = "TIME|POSITION", description = "Start at this ISO time or stream"
        + " position instead of now.")
    String since;

    @Option(names = "--raw", description = "Print each event's JSON instead of a line.")
    boolean raw;

    @Override
    public Integer call() {
      List<String> query = new ArrayList<>();
      add(query, "pipeline", pipeline);
      add(query, "type", type);
      add(query, "extension", extension);
      add(query, "since", since);
      PrintWriter out = out();
      client().follow(String.join("&", query), event -> {
        if (raw) {
          out.println(new String(io.garden.common.event.EventCodec.shared().encode(event),
              StandardCharsets.UTF_8));
        } else {
          EventLines.of(event).ifPresentOrElse(out::println, () -> out.println(event.pipelineId() + " "
              + event.type()));
        }
        out.flush();
        // With a pipeline named, its end is the end of the tail.
        return pipeline != null && event.type().equals("pipeline.finished");
      });
      return ExitCodes.OK;
    }

    private static void add(List<String> query, String name, String value) {
      if (value != null && !value.isBlank()) {
        query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show one pipeline: its state, each step with its extensions, the reason it failed, artifacts.")
  static final class Status extends OnGateway {

    @Parameters(paramLabel = "ID", description = "The pipeline id.")
    String id;

    @Override
    public Integer call() {
      JsonNode p = client().pipeline(id);
      PrintWriter out = out();
      out.println("pipeline " + p.path("id").asText() + ": " + p.path("state").asText()
          + (p.path("reason").isTextual() ? " — " + p.path("reason").asText() : ""));
      for (JsonNode note : p.path("notes")) {
        out.println("  note: " + note.asText());
      }
      for (JsonNode step : p.path("steps")) {
        out.printf("  %-18s %-10s%s%n", step.path("name").asText(), step.path("state").asText(),
            step.path("reason").isTextual() ? " " + step.path("reason").asText() : "");
        for (JsonNode unit : step.path("extensions")) {
          if (!unit.path("target").asText().equals("*")) {
            out.printf("      %-30s %s%n", unit.path("target").asText(), unit.path("state").asText());
          }
        }
      }
      for (JsonNode artifact : p.path("artifacts")) {
        out.println("  artifact " + artifact.path("name").asText() + " (" + artifact.path("size").asLong()
            + " bytes)");
      }
      String state = p.path("state").asText();
      return state.equals("failed") || state.equals("cancelled") ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }

  @Command(name = "pipelines", mixinStandardHelpOptions = true,
      description = "List recent pipelines, newest first.")
  static final class Pipelines extends OnGateway {

    @Option(names = "--state", paramLabel = "STATE", description = "Only queued, running, succeeded, failed or"
        + " cancelled ones.")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (default: 20).")
    int limit;

    @Override
    public Integer call() {
      PrintWriter out = out();
      JsonNode list = client().pipelines(state, limit).path("pipelines");
      if (list.isEmpty()) {
        out.println("no pipelines");
      }
      for (JsonNode p : list) {
        out.printf("%-34s %-10s %s%s%n", p.path("id").asText(), p.path("state").asText(),
            p.path("startedAt").asText(p.path("requestedAt").asText("")),
            p.path("reason").isTextual() ? "  " + p.path("reason").asText() : "");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = {"Cancel a pipeline.", "",
          "Cancel a pipeline: running builds stop, no further step starts. A publish that is writing",
          "finishes first (a registry is never left half-written)."})
  static final class Cancel extends OnGateway {

    @Parameters(paramLabel = "ID", description = "The pipeline id.")
    String id;

    @Override
    public Integer call() {
      client().cancel(id);
      out().println("cancel requested for pipeline " + id);
      return ExitCodes.OK;
    }
  }
}
