package io.garden.cli.remote;

import io.garden.common.event.AccessDecided;
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

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One human line per audit event worth a line (what garden up, garden tail and a following CLI print); progress
 * chatter (build output) gets none unless asked.
 */
public final class EventLines {

  private EventLines() {
  }

  public static Optional<String> of(Envelope e) {
    EventPayload payload;
    try {
      payload = EventCodec.shared().payload(e);
    } catch (MalformedEventException ex) {
      return Optional.empty();
    }
    String p = e.pipelineId() == null ? "" : e.pipelineId() + " ";
    return Optional.ofNullable(describe(e, payload)).map(line -> p + line);
  }

  private static String describe(Envelope e, EventPayload payload) {
    if (payload instanceof PipelineStarted s) {
      return "started: " + s.steps().stream().map(StepName::wire).collect(Collectors.joining(" → ")) + " on "
          + s.extensions().size() + " extension(s)"
          + s.notes().stream().map(n -> "\n  note: " + n).collect(Collectors.joining());
    }
    if (payload instanceof StepStarted s) {
      return "▶ " + s.step() + target(s.target());
    }
    if (payload instanceof StepFinished f) {
      return "✔ " + f.step() + target(f.target()) + " (" + seconds(f.durationMs()) + ")"
          + (f.summary() == null ? "" : ": " + f.summary());
    }
    if (payload instanceof StepFailed f) {
      return "✘ " + f.step() + target(f.target()) + ": " + f.reason();
    }
    if (payload instanceof StepSkipped s) {
      return "⏭ " + s.step() + ": " + s.reason();
    }
    if (payload instanceof BuildFinished b && !b.passed()) {
      return "  build of " + b.extension() + " failed at " + b.failingStep()
          + (b.logTail().isEmpty() ? "" : "\n    " + String.join("\n    ", b.logTail()));
    }
    if (payload instanceof TestFinished t && !t.passed()) {
      return "  tests of " + t.extension() + " failed" + t.services().stream().filter(s -> !s.healthy())
          .map(s -> "\n    " + s.service() + ": " + s.detail()).collect(Collectors.joining());
    }
    if (payload instanceof PushFinished push) {
      return "  pushed " + push.images().size() + " image(s) of " + push.extension() + " for " + push.stage();
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
      return "✘ refused " + a.actor() + " (" + a.action().wire() + (a.stage() == null ? "" : " " + a.stage())
          + (a.target() == null ? "" : " " + a.target()) + "): " + a.reason();
    }
    if (payload instanceof RecordDeadLettered d) {
      return "  dead letter from " + d.consumer() + ": " + d.reason();
    }
    if (payload instanceof PipelineFinished f) {
      return f.state().wire() + (f.reason() == null ? "" : ": " + f.reason()) + " in " + seconds(f.durationMs());
    }
    return null;
  }

  private static String target(String target) {
    return target == null || target.equals("*") ? "" : " " + target;
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
