package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.EventLines;
import io.garden.cli.remote.GatewayClient;
import io.garden.cli.remote.TimeOrder;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Commands that look at pipelines on a gateway: tail, audit, status, pipelines, cancel. */
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

  /** What tail and audit share: a filtered read of the audit stream, printed as audit lines or JSON lines. */
  abstract static class AuditReader extends OnGateway {

    @Option(names = "--type", paramLabel = "T", description = "Only these event types (comma-separated; 'step.'"
        + " means every step event). An unknown type is an error.")
    String type;

    @Option(names = "--extension", paramLabel = "X", description = "Only events about this extension: its id"
        + " (tools/tool-x) or its name (tool-x).")
    String extension;

    /** The reorder window: events of several partitions are put back in time order within this many. */
    private static final int REORDER = 10_000;

    abstract String format();

    /** Reads and prints; stops at the caught-up mark when {@code stopWhenCaughtUp}, and after {@code until}. */
    int read(String pipeline, String since, Instant until, boolean stopWhenCaughtUp) {
      OutputFormat.check(format(), "text", "jsonl");
      List<String> query = new ArrayList<>();
      add(query, "pipeline", pipeline);
      add(query, "type", type);
      add(query, "extension", extension);
      add(query, "since", since);
      PrintWriter out = out();
      boolean fancy = Terminal.fancy(parent.env());
      boolean[] past = {false};
      TimeOrder order = new TimeOrder(REORDER, event -> {
        if (until != null && event.time().isAfter(until)) {
          past[0] = true;
          return;
        }
        print(out, event, fancy);
      });
      client().follow(String.join("&", query), event -> {
        order.add(event);
        // With a pipeline named, its end is the end of the tail; with --until, the first live event after it.
        return pipeline != null && event.type().equals("pipeline.finished") || past[0];
      }, () -> {
        order.caughtUp();
        out.flush();
        return stopWhenCaughtUp || past[0] || until != null && until.isBefore(Instant.now());
      });
      order.caughtUp(); // what waits for its turn when the stream ended before its caught-up mark
      out.flush();
      return ExitCodes.OK;
    }

    private void print(PrintWriter out, Envelope event, boolean fancy) {
      if (format().equals("jsonl")) {
        out.println(new String(EventCodec.shared().encode(event), StandardCharsets.UTF_8));
      } else {
        EventLines.audit(event, fancy).ifPresent(out::println);
      }
      out.flush();
    }

    static Instant time(String option, String value) {
      if (value == null) {
        return null;
      }
      try {
        return Instant.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("Error: " + option + " is an ISO time like 2026-11-25T07:30:00Z, not '"
            + value + "'");
      }
    }

    private static void add(List<String> query, String name, String value) {
      if (value != null && !value.isBlank()) {
        query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
  }

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Follow the audit stream, one line per event, as it happens (Ctrl+C to stop).",
          "Each line: time, actor, pipeline, what. Filters combine; --since starts in the past (an ISO time,",
          "or a stream position) and history comes out in time order; --no-follow or --until end it."})
  static final class Tail extends AuditReader {

    @Option(names = "--pipeline", paramLabel = "ID", description = "Only this pipeline's events (from its first);"
        + " ends when it finishes. An unknown id is an error.")
    String pipeline;

    @Option(names = "--since", paramLabel = "TIME|POSITION", description = "Start at this ISO time or stream"
        + " position instead of now.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Stop after this ISO time.")
    String until;

    @Option(names = "--no-follow", description = "Stop once what is already on the stream has been printed.")
    boolean noFollow;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or"
        + " jsonl (one event's JSON per line).")
    String format;

    @Option(names = "--raw", hidden = true, description = "The same as --format jsonl.")
    boolean raw;

    @Override
    String format() {
      return raw ? "jsonl" : format;
    }

    @Override
    public Integer call() {
      if (noFollow && since == null && pipeline == null) {
        // From now and stopping at once prints nothing, and says nothing about why.
        throw new IllegalArgumentException("Error: --no-follow prints what is already on the stream, from --since"
            + " (an ISO time like 2026-12-07T09:00:00Z, or a position) or for --pipeline ID; without either there"
            + " is nothing before now to print. To follow from now, leave --no-follow out");
      }
      return read(pipeline, since, time("--until", until), noFollow);
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true,
      description = {"Export the audit trail of a period, in time order.",
          "Every event from --from to --to, then it stops. JSON lines by default (one event per line, for jq",
          "and archives); --format text for people.",
          "Example: garden audit --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --type access.decided"})
  static final class Audit extends AuditReader {

    @Option(names = "--from", paramLabel = "TIME", required = true, description = "The period's start (ISO time).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "The period's end (ISO time; default: now).")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl", description = "jsonl (default)"
        + " or text.")
    String format;

    @Override
    String format() {
      return format;
    }

    @Override
    public Integer call() {
      Instant start = time("--from", from);
      Instant end = to == null ? Instant.now() : time("--to", to);
      if (end.isBefore(start)) {
        throw new IllegalArgumentException("Error: --to (" + end + ") is before --from (" + start + ")");
      }
      return read(null, start.toString(), end, true);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show one pipeline: its state, each step with its extensions, the reason it failed, artifacts.")
  static final class Status extends OnGateway {

    @Parameters(paramLabel = "ID", description = "The pipeline id.")
    String id;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default), or"
        + " json: the gateway's pipeline object, fields in a fixed order (see gateway/README.md).")
    String format;

    @Override
    public Integer call() {
      OutputFormat.check(format, "text", "json");
      GatewayClient gateway = client();
      JsonNode p = gateway.pipeline(id);
      PrintWriter out = out();
      if (format.equals("json")) {
        out.println(p.toPrettyString());
        String state = p.path("state").asText();
        return state.equals("failed") || state.equals("cancelled") ? ExitCodes.FINDINGS : ExitCodes.OK;
      }
      out.println("pipeline " + p.path("id").asText() + ": " + p.path("state").asText()
          + (p.path("reason").isTextual() ? " — " + p.path("reason").asText() : ""));
      // Who, from where, to which stage, and where to look at it: the same facts as the list's row and the page.
      JsonNode source = p.path("source");
      out.println("  by " + p.path("actor").asText("?") + (p.path("stage").isTextual() ? ", stage "
          + p.path("stage").asText() : "") + (source.isObject() ? ", from " + (source.path("path").isTextual()
          ? source.path("path").asText() : source.path("repo").asText() + (source.path("commit").isTextual() ? "@"
          + source.path("commit").asText() : "")) : "") + (p.path("request").path("options").path("dryRun")
          .asBoolean(false) ? " (dry run)" : ""));
      out.println("  page: " + gateway.url() + "/#pipeline=" + p.path("id").asText());
      if (p.path("traceId").isTextual()) {
        out.println("  trace: " + p.path("traceId").asText());
      }
      for (JsonNode note : p.path("notes")) {
        out.println("  note: " + note.asText());
      }
      for (JsonNode step : p.path("steps")) {
        out.printf("  %-18s %-10s %8s%s%n", step.path("name").asText(), step.path("state").asText(),
            took(step.path("startedAt").asText(null), step.path("finishedAt").asText(null)),
            step.path("reason").isTextual() ? " " + step.path("reason").asText() : "");
        for (JsonNode unit : step.path("extensions")) {
          if (!unit.path("target").asText().equals("*")) {
            out.printf("      %-30s %s%n", unit.path("target").asText(), unit.path("state").asText());
          }
          annotations(out, unit.path("annotations"));
        }
      }
      for (JsonNode artifact : p.path("artifacts")) {
        out.println("  artifact " + artifact.path("name").asText() + " (" + artifact.path("size").asLong()
            + " bytes)");
      }
      for (JsonNode plan : p.path("publishes")) {
        out.println("  publish to " + plan.path("stage").asText() + (plan.path("dryRun").asBoolean() ? " (dry run)"
            : "") + (plan.path("failed").asBoolean() ? ", refused" : "") + ":");
        for (JsonNode row : plan.path("decisions")) {
          out.printf("      %-10s %-12s %-28s %s%n", row.path("action").asText(), row.path("file").asText(),
              row.path("name").asText(), row.path("version").asText());
        }
      }
      if (p.path("approval").isObject()) {
        out.print("  waiting for approval: ");
        ApprovalCommands.Decide.print(out, p.path("approval"));
        out.println("  approved so far by: " + (p.path("approval").path("approvedBy").isEmpty() ? "nobody"
            : p.path("approval").path("approvedBy").toString()) + "; garden approve " + p.path("id").asText()
            + " or garden reject " + p.path("id").asText() + " --reason ...");
      }
      String state = p.path("state").asText();
      return state.equals("failed") || state.equals("cancelled") ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** How long a step took, as 1.2 s; blank while it has not begun or not ended. */
    private static String took(String started, String finished) {
      if (started == null || finished == null) {
        return "";
      }
      long millis = java.time.Duration.between(java.time.Instant.parse(started), java.time.Instant.parse(finished))
          .toMillis();
      return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Why a unit failed, under it: each finding at file:line:col with its rule, then a failure's last lines. */
    private static void annotations(PrintWriter out, JsonNode annotations) {
      for (JsonNode a : annotations) {
        String at = io.garden.common.model.Finding.location(a.path("extension").asText(),
            a.path("file").isTextual() ? a.path("file").asText() : null, a.path("line").asInt(),
            a.path("column").asInt());
        out.printf("        %-7s %s  %s%s%n", a.path("level").asText(), at,
            a.path("rule").isTextual() ? a.path("rule").asText() + "  " : "", a.path("message").asText());
        for (JsonNode line : a.path("log")) {
          out.println("          | " + line.asText());
        }
      }
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

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default), or"
        + " json: {pipelines: [{id, state, reason, steps, startedAt, finishedAt, actor, stage, source, dryRun,"
        + " trigger}]}, newest first.")
    String format;

    @Override
    public Integer call() {
      OutputFormat.check(format, "text", "json");
      PrintWriter out = out();
      JsonNode answer = client().pipelines(state, limit);
      if (format.equals("json")) {
        out.println(answer.toPrettyString());
        return ExitCodes.OK;
      }
      JsonNode list = answer.path("pipelines");
      if (list.isEmpty()) {
        out.println("no pipelines");
        return ExitCodes.OK;
      }
      String row = "%-34s %-17s %-6s %-22s %-20s %s%n";
      out.printf(row, "PIPELINE", "STATE", "STAGE", "ACTOR", "STARTED", "SOURCE / REASON");
      for (JsonNode p : list) {
        String source = p.path("source").asText("") + (p.path("dryRun").asBoolean(false) ? " (dry run)" : "")
            + (p.path("trigger").isTextual() ? " [" + p.path("trigger").asText() + "]" : "");
        out.printf(row, p.path("id").asText(), p.path("state").asText(), p.path("stage").asText("-"),
            p.path("actor").asText("-"), p.path("startedAt").asText(p.path("requestedAt").asText("")),
            source + (p.path("reason").isTextual() ? "  " + p.path("reason").asText() : ""));
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
