package io.garden.gateway.views;

import io.garden.common.event.Artifact;
import io.garden.common.event.Envelope;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.StepName;
import io.garden.gateway.coordinator.PipelineRun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A pipeline as the API shows it: {@code {id, state, reason, steps: [...], artifacts: [...]}}. */
public final class PipelineJson {

  private PipelineJson() {
  }

  /** The states a pipeline can be in, as the API names them. */
  public static final List<String> STATES = List.of("queued", "running", "succeeded", "failed", "cancelled");

  public static String state(PipelineRun run) {
    if (run.finished().isPresent()) {
      return run.finished().get().state().wire();
    }
    if (run.started().isEmpty()) {
      return "queued";
    }
    return run.awaitingApproval().isPresent() ? AWAITING_APPROVAL : "running";
  }

  /** A write to a protected stage waiting for people: {@code approval} says for what and whom. */
  public static final String AWAITING_APPROVAL = "awaiting-approval";

  /** What a waiting write asks people to approve: the plan, who asked, who approved so far, until when. */
  private static Map<String, Object> approval(io.garden.gateway.coordinator.AwaitingApproval waiting) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", waiting.request().stage());
    json.put("step", waiting.request().step().wire());
    json.put("plan", waiting.request().plan());
    json.put("required", waiting.request().required());
    json.put("requester", waiting.request().requester());
    json.put("approvedBy", waiting.approvals().stream().map(io.garden.common.event.ApprovalDecided::approver)
        .toList());
    json.put("expiresAt", waiting.request().expiresAt().toString());
    json.put("decisions", waiting.plan() == null ? List.of() : waiting.plan().decisions());
    return json;
  }

  public static Map<String, Object> of(PipelineViews.Queued queued) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", queued.id());
    json.put("state", "queued");
    json.put("reason", null);
    json.put("actor", queued.actor());
    json.put("source", queued.request().source());
    json.put("requestedAt", queued.at().toString());
    json.put("steps", queued.request().steps().stream().map(s -> step(s.wire(), "pending", List.of(), null, null,
        null)).toList());
    json.put("artifacts", List.of());
    return json;
  }

  /**
   * A pipeline another gateway accepted that no coordinator has begun: queued, by whom and when; its steps are in the
   * request, which that gateway holds, so they show once it begins.
   */
  public static Map<String, Object> acceptedElsewhere(String id, Envelope decided) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("state", "queued");
    json.put("reason", null);
    json.put("actor", decided.actor());
    json.put("source", null);
    json.put("requestedAt", decided.time().toString());
    json.put("steps", List.of());
    json.put("artifacts", List.of());
    return json;
  }

  public static Map<String, Object> of(PipelineRun run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", run.id());
    json.put("state", state(run));
    json.put("reason", run.finished().map(PipelineFinished::reason).orElse(null));
    Envelope first = run.startedEvent().or(run::finishedEvent).orElse(null);
    json.put("actor", first == null ? null : first.actor());
    json.put("source", run.started().map(PipelineStarted::source).orElse(null));
    json.put("stage", run.started().map(PipelineStarted::stage).orElse(null));
    json.put("requestedAt", run.requestedAt().map(Instant::toString).orElse(null));
    json.put("startedAt", run.startedEvent().map(e -> e.time().toString()).orElse(null));
    json.put("finishedAt", run.finishedEvent().map(e -> e.time().toString()).orElse(null));
    json.put("durationMs", run.finished().map(PipelineFinished::durationMs).orElse(null));
    json.put("notes", run.started().map(PipelineStarted::notes).orElse(List.of()));
    json.put("traceId", run.startedEvent().or(run::finishedEvent).map(Envelope::traceId).orElse(null));
    json.put("steps", steps(run));
    json.put("artifacts", run.artifacts().stream().map(PipelineJson::artifact).toList());
    json.put("publishes", run.publishPlans().stream().map(PipelineJson::publish).toList());
    json.put("approval", run.awaitingApproval().map(PipelineJson::approval).orElse(null));
    // What was asked, as POST /api/v1/pipelines takes it: the page's "run again" sends it back.
    json.put("request", run.request().map(r -> {
      Map<String, Object> asked = new LinkedHashMap<>();
      asked.put("source", r.source());
      asked.put("steps", r.steps().stream().map(StepName::wire).toList());
      asked.put("targets", r.targets());
      asked.put("stage", r.stage());
      asked.put("options", r.options());
      return asked;
    }).orElse(null));
    return json;
  }

  /** One summary line per pipeline, for lists. */
  public static Map<String, Object> summary(PipelineRun run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", run.id());
    json.put("state", state(run));
    json.put("reason", run.finished().map(PipelineFinished::reason).orElse(null));
    json.put("steps", run.started().map(s -> s.steps().stream().map(StepName::wire).toList()).orElse(List.of()));
    json.put("startedAt", run.startedEvent().map(e -> e.time().toString()).orElse(null));
    json.put("finishedAt", run.finishedEvent().map(e -> e.time().toString()).orElse(null));
    // Who, what from, where to: a list row says whose run it is without opening it.
    json.put("actor", run.startedEvent().or(run::finishedEvent).map(Envelope::actor).orElse(null));
    json.put("stage", run.started().map(PipelineStarted::stage).orElse(null));
    json.put("source", run.started().map(s -> s.source() == null ? null : s.source().describe()).orElse(null));
    json.put("dryRun", run.started().map(s -> s.options().dryRun()).orElse(false));
    json.put("trigger", run.started().map(PipelineStarted::trigger).map(t -> t.kind().wire()).orElse(null));
    return json;
  }

  private static List<Map<String, Object>> steps(PipelineRun run) {
    List<Map<String, Object>> steps = new ArrayList<>();
    if (run.started().isEmpty()) {
      return steps;
    }
    boolean ended = run.isFinished();
    boolean cancelled = run.finished().map(f -> f.state() == PipelineFinished.State.CANCELLED).orElse(false);
    for (StepName step : run.started().get().steps()) {
      List<PipelineRun.Unit> units = run.units().stream().filter(u -> u.step() == step).toList();
      List<Map<String, Object>> targets = units.stream().map(u -> unit(run, u)).toList();
      String state = stepState(units, run.targets(step).size(), ended, cancelled);
      Instant started = units.stream().map(PipelineRun.Unit::startedAt).filter(Objects::nonNull).min(Instant::compareTo)
          .orElse(null);
      Instant finished = units.isEmpty() || units.stream().anyMatch(u -> u.finishedAt() == null) ? null
          : units.stream().map(PipelineRun.Unit::finishedAt).max(Instant::compareTo).orElse(null);
      String reason = units.stream().filter(u -> u.state() == PipelineRun.UnitState.FAILED)
          .map(PipelineRun.Unit::summary).findFirst().orElse(null);
      steps.add(step(step.wire(), state, targets, started, finished, reason));
    }
    run.skipped().forEach((step, reason) -> steps.add(step(step.wire(), "skipped", List.of(), null, null, reason)));
    return steps;
  }

  /**
   * A step a cancel interrupted reads "cancelled", even when its worker reported the interruption as a failure: the
   * pipeline stops at its first real failure, so a cancelled one had none.
   */
  private static String stepState(List<PipelineRun.Unit> units, int targets, boolean ended, boolean cancelled) {
    boolean allSucceeded = units.size() == targets
        && units.stream().allMatch(u -> u.state() == PipelineRun.UnitState.SUCCEEDED);
    if (cancelled && !allSucceeded) {
      return units.isEmpty() ? "not run" : "cancelled";
    }
    if (units.stream().anyMatch(u -> u.state() == PipelineRun.UnitState.FAILED)) {
      return "failed";
    }
    if (allSucceeded) {
      return "succeeded";
    }
    if (ended) {
      return units.isEmpty() ? "not run" : "stopped";
    }
    return units.isEmpty() ? "pending" : "running";
  }

  private static Map<String, Object> step(String name, String state, List<Map<String, Object>> extensions,
                                          Instant started, Instant finished, String reason) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("state", state);
    json.put("extensions", extensions);
    json.put("startedAt", started == null ? null : started.toString());
    json.put("finishedAt", finished == null ? null : finished.toString());
    json.put("reason", reason);
    return json;
  }

  private static Map<String, Object> unit(PipelineRun run, PipelineRun.Unit unit) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("target", unit.target());
    json.put("state", unit.state().name().toLowerCase(java.util.Locale.ROOT));
    json.put("summary", unit.summary());
    json.put("annotations", run.annotations(unit));
    return json;
  }

  private static Map<String, Object> publish(PublishPlanned plan) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", plan.stage());
    json.put("dryRun", plan.dryRun());
    json.put("failed", plan.failed());
    json.put("decisions", plan.decisions());
    return json;
  }

  private static Map<String, Object> artifact(Artifact artifact) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", artifact.name());
    json.put("size", artifact.size());
    json.put("sha256", artifact.sha256());
    return json;
  }
}
