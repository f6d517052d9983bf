package io.garden.cli.remote;

import io.garden.common.event.AccessDecided;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.ExtensionFindings;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.ValidateFinished;
import io.garden.common.model.Finding;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PushFinished;
import io.garden.common.event.RecordDeadLettered;
import io.garden.common.event.RegistryPackaged;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.StepStarted;
import io.garden.common.event.TestFinished;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One human line per audit event worth a line (what garden up, garden tail and a following CLI print); progress
 * chatter (build output) gets none unless asked. Symbols (✔ ✘ ▶ ⏭) only when {@code fancy} (a terminal); plain
 * words otherwise, for scripts and logs.
 */
public final class EventLines {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_DATA = 160;
  private static final int MAX_FINDINGS = 20;

  private record Symbols(String ok, String failed, String started, String skipped) {
  }

  private static final Symbols FANCY = new Symbols("✔", "✘", "▶", "⏭");
  private static final Symbols PLAIN = new Symbols("ok", "FAILED", "start", "skip");

  private EventLines() {
  }

  public static Optional<String> of(Envelope e) {
    return of(e, true);
  }

  public static Optional<String> of(Envelope e, boolean fancy) {
    EventPayload payload;
    try {
      payload = EventCodec.shared().payload(e);
    } catch (MalformedEventException ex) {
      return Optional.empty();
    }
    String p = e.pipelineId() == null ? "" : e.pipelineId() + " ";
    return Optional.ofNullable(describe(e, payload, fancy ? FANCY : PLAIN)).map(line -> p + line);
  }

  /**
   * The audit trail's line for any event: when, who, which pipeline, and what — every event gets one, decisions
   * allowed or not; progress lines only when they say something.
   */
  public static Optional<String> audit(Envelope e, boolean fancy) {
    Symbols symbols = fancy ? FANCY : PLAIN;
    String what;
    try {
      EventPayload payload = EventCodec.shared().payload(e);
      if (payload instanceof BuildProgress progress) {
        if (progress.line() == null || progress.line().isBlank()) {
          return Optional.empty();
        }
        what = "  " + progress.extension() + " | " + progress.line().strip();
      } else if (payload instanceof AccessDecided a) {
        what = decision(a, symbols, true);
      } else if (payload instanceof PipelineRequested r) {
        what = "requested: " + r.steps().stream().map(StepName::wire).collect(Collectors.joining(" → ")) + " on "
            + targets(r.targets()) + (r.stage() == null ? "" : " (" + r.stage() + ")")
            + (r.trigger() == null ? "" : " by " + r.trigger().kind().wire());
      } else {
        what = describe(e, payload, symbols);
      }
    } catch (MalformedEventException ex) {
      what = null;
    }
    if (what == null) {
      String data = e.data() == null ? "" : e.data().toString();
      what = e.type() + (data.isEmpty() || data.equals("{}") ? "" : " " + (data.length() > MAX_DATA
          ? data.substring(0, MAX_DATA) + "…" : data));
    }
    return Optional.of(TIME.format(e.time()) + "  " + (e.actor() == null ? "-" : e.actor()) + "  "
        + (e.pipelineId() == null ? "-" : e.pipelineId()) + "  " + what);
  }

  private static String decision(AccessDecided a, Symbols symbols, boolean door) {
    return (a.allowed() ? symbols.ok() + " allowed " : symbols.failed() + " refused ") + a.actor() + " ("
        + a.action().wire() + (a.stage() == null ? "" : " " + a.stage()) + (a.target() == null ? "" : " " + a.target())
        + (!door || a.door() == null ? "" : ", via " + a.door()) + ")" + (a.allowed() || a.reason() == null ? ""
        : ": " + a.reason());
  }

  private static String describe(Envelope e, EventPayload payload, Symbols symbols) {
    if (payload instanceof PipelineStarted s) {
      return "started: " + s.steps().stream().map(StepName::wire).collect(Collectors.joining(" → ")) + " on "
          + s.extensions().size() + " extension(s)"
          + s.notes().stream().map(n -> "\n  note: " + n).collect(Collectors.joining());
    }
    if (payload instanceof StepStarted s) {
      return symbols.started() + " " + s.step() + target(s.target());
    }
    if (payload instanceof StepFinished f) {
      return symbols.ok() + " " + f.step() + target(f.target()) + " (" + seconds(f.durationMs()) + ")"
          + (f.summary() == null ? "" : ": " + f.summary());
    }
    if (payload instanceof StepFailed f && f.errorKind() == io.garden.common.event.FailureKind.CANCELLED) {
      return symbols.skipped() + " " + f.step() + target(f.target()) + " cancelled";
    }
    if (payload instanceof StepFailed f) {
      return symbols.failed() + " " + f.step() + target(f.target()) + ": " + f.reason();
    }
    if (payload instanceof StepSkipped s) {
      return symbols.skipped() + " " + s.step() + ": " + s.reason();
    }
    if (payload instanceof BuildFinished b && !b.passed()) {
      return "  build of " + b.extension() + " failed at " + b.failingStep()
          + (b.logTail().isEmpty() ? "" : "\n    " + String.join("\n    ", b.logTail()));
    }
    if (payload instanceof TestFinished t && !t.passed()) {
      return "  tests of " + t.extension() + " failed" + t.services().stream().filter(s -> !s.healthy())
          .map(s -> "\n    " + s.service() + ": " + s.detail()).collect(Collectors.joining());
    }
    if (payload instanceof ValidateFinished v && !v.passed()) {
      return "  validate found " + v.errors() + " error(s), " + v.warnings() + " warning(s)" + findings(v.results());
    }
    if (payload instanceof PushFinished push) {
      java.util.Set<String> platforms = new java.util.TreeSet<>();
      push.images().forEach(image -> platforms.addAll(image.platforms()));
      return "  pushed " + push.images().size() + " image(s) of " + push.extension() + " for " + push.stage()
          + (platforms.isEmpty() ? "" : ", each an index of " + String.join(", ", platforms));
    }
    if (payload instanceof RegistryPackaged r) {
      return "  packaged " + r.path() + " (" + r.bytes() + " bytes)";
    }
    if (payload instanceof PublishFinished f) {
      return "  published to " + f.stage() + ": " + f.inserted() + " inserted, " + f.replaced() + " replaced, "
          + f.unchanged() + " unchanged";
    }
    if (e.type().startsWith("lock.")) {
      return "  " + e.type();
    }
    if (payload instanceof AccessDecided a && !a.allowed()) {
      // Refusals only: an allowed request shows as the pipeline it starts.
      return decision(a, symbols, false);
    }
    if (payload instanceof PublishPlanned plan) {
      Map<String, Long> actions = plan.decisions().stream()
          .collect(Collectors.groupingBy(d -> d.action() == null ? "?" : d.action(), TreeMap::new,
              Collectors.counting()));
      return "  planned " + (plan.dryRun() ? "dry run of a " : "") + "publish to " + plan.stage() + ": "
          + (actions.isEmpty() ? "nothing to do" : actions.entrySet().stream().map(en -> en.getValue() + " "
          + en.getKey()).collect(Collectors.joining(", "))) + (plan.failed() ? " (refused)" : "");
    }
    if (payload instanceof io.garden.common.event.ApprovalRequested r) {
      return "  waiting for " + r.required() + " approval(s) of its " + r.step() + " to " + r.stage() + " by someone"
          + " other than " + r.requester() + " (approve:" + r.stage() + "): garden approve " + e.pipelineId()
          + ", or garden reject " + e.pipelineId() + " --reason ...; until " + TIME.format(r.expiresAt());
    }
    if (payload instanceof io.garden.common.event.ApprovalDecided d) {
      return "  " + (d.approved() ? (d.emergency() ? "approved IN AN EMERGENCY" : "approved") : "rejected") + " by "
          + d.approver() + (d.reason() == null ? "" : ": " + d.reason());
    }
    if (payload instanceof RecordDeadLettered d) {
      return "  dead letter from " + d.consumer() + ": " + d.reason();
    }
    if (payload instanceof PipelineFinished f) {
      return f.state().wire() + (f.reason() == null ? "" : ": " + f.reason()) + " in " + seconds(f.durationMs());
    }
    return null;
  }

  /** Each error at file:line:col with its rule, then the warnings; at most {@value #MAX_FINDINGS}. */
  private static String findings(java.util.List<ExtensionFindings> results) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (boolean errors : new boolean[] {true, false}) {
      for (ExtensionFindings result : results) {
        for (Finding f : result.findings()) {
          if (f.isError() == errors) {
            String at = Finding.location(result.extension(), f.file(), f.line(), f.column());
            lines.add("\n    " + (errors ? "error   " : "warning ") + at + "  " + f.rule() + "  " + f.text());
          }
        }
      }
    }
    String more = lines.size() > MAX_FINDINGS ? "\n    … and " + (lines.size() - MAX_FINDINGS) + " more (garden status"
        + " shows them)" : "";
    return String.join("", lines.subList(0, Math.min(lines.size(), MAX_FINDINGS))) + more;
  }

  private static String targets(io.garden.common.event.Targets targets) {
    return targets == null ? "all" : switch (targets.mode()) {
      case ALL -> "all";
      case CHANGED -> "the changed extensions";
      case LIST -> String.join(", ", targets.ids());
    };
  }

  private static String target(String target) {
    return target == null || target.equals("*") ? "" : " " + target;
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
