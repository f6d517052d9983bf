package io.garden.gateway.coordinator;

import io.garden.common.event.Artifact;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.SyncFinished;
import io.garden.common.event.TestFinished;
import io.garden.common.event.ValidateFinished;
import io.garden.common.event.CancelRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.RegistryPackaged;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.StepStarted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline as the audit stream tells it: a fold over its events in stream order, and from that fold what to do
 * next. Plain Java: the coordinator decides with it, the gateway renders it, and a restart rebuilds it by replaying
 * the events.
 *
 * <p>Over 300 lines: it is the one fold of a pipeline (units, skips, artifacts, plans, annotations, the approval
 * gate's hand-off), and its accessors are what the API renders; the rules with a life of their own live beside it
 * ({@link PushUnits}, {@link ApprovalGate}, {@link Annotation}).
 *
 * <p>Applying an event twice changes nothing: a unit's first result wins, and a result for a request this run
 * never sent, or sent but not yet recorded, waits until its {@code step.started} arrives.
 */
public final class PipelineRun {

  /** Where one unit of work (a step for one target) stands. */
  public enum UnitState { RUNNING, SUCCEEDED, FAILED, CANCELLED }

  /** One step for one target ({@code *}: the whole repository). */
  public static final class Unit {
    private final StepName step;
    private final String target;
    private final String requestId;
    private final Instant startedAt;
    private UnitState state = UnitState.RUNNING;
    private String summary;
    private io.garden.common.event.FailureKind failureKind;
    private Instant finishedAt;

    Unit(StepName step, String target, String requestId, Instant startedAt) {
      this.step = step;
      this.target = target;
      this.requestId = requestId;
      this.startedAt = startedAt;
    }

    public StepName step() {
      return step;
    }

    public String target() {
      return target;
    }

    public String requestId() {
      return requestId;
    }

    public UnitState state() {
      return state;
    }

    /** How it failed ({@code findings}, {@code plan-changed}, ...); null while it has not. */
    public io.garden.common.event.FailureKind failureKind() {
      return failureKind;
    }

    /** The worker's one line: what it did, or why it failed. */
    public String summary() {
      return summary;
    }

    public Instant startedAt() {
      return startedAt;
    }

    public Instant finishedAt() {
      return finishedAt;
    }
  }

  private final String id;
  private PipelineRequested request;
  private Instant requestedAt;
  private Envelope startedEvent;
  private PipelineStarted started;
  private final Map<String, Unit> units = new LinkedHashMap<>();
  private final Map<String, Unit> byRequest = new HashMap<>();
  private final Map<String, Result> earlyResults = new HashMap<>();
  private final Map<StepName, String> skipped = new LinkedHashMap<>();
  private final List<Artifact> artifacts = new ArrayList<>();
  private final List<PublishPlanned> publishPlans = new ArrayList<>();
  /** What each request's results said beyond pass or fail, by request id: at most {@value #MAX_ANNOTATIONS} each. */
  private final Map<String, List<Annotation>> annotations = new HashMap<>();
  static final int MAX_ANNOTATIONS = 100;
  /** The wait for approval of a write to a protected stage, when the pipeline has one. */
  private final ApprovalGate gate = new ApprovalGate();
  private String cancelReason;
  private Envelope finishedEvent;
  private PipelineFinished finished;

  public PipelineRun(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Folds one event of this pipeline in; events of other types are ignored. */
  public void apply(Envelope event, EventPayload payload) {
    gate.apply(event, payload);
    if (payload instanceof PipelineRequested r && request == null) {
      request = r;
      requestedAt = event.time();
    } else if (payload instanceof PipelineStarted s && started == null) {
      started = s;
      startedEvent = event;
    } else if (payload instanceof StepStarted s && s.requestId() != null) {
      unitStarted(s, event.time());
    } else if (payload instanceof StepFinished || payload instanceof StepFailed) {
      result(event, payload);
    } else if (payload instanceof StepSkipped s) {
      skipped.putIfAbsent(s.step(), s.reason());
    } else if (payload instanceof RegistryPackaged p && p.artifactKey() != null) {
      String name = p.artifactKey().substring(p.artifactKey().lastIndexOf('/') + 1);
      if (artifacts.stream().noneMatch(a -> a.name().equals(name))) {
        artifacts.add(new Artifact(name, p.bytes(), p.sha256(), p.artifactKey()));
      }
    } else if (payload instanceof PublishPlanned plan) {
      publishPlans.add(plan);
    } else if (payload instanceof ValidateFinished v) {
      annotate(event, Annotation.of(v.results()));
    } else if (payload instanceof SyncFinished sync) {
      annotate(event, Annotation.of(sync.results()));
    } else if (payload instanceof BuildFinished b) {
      annotate(event, Annotation.of(b));
    } else if (payload instanceof TestFinished t) {
      annotate(event, Annotation.of(t));
    } else if (payload instanceof CancelRequested c && cancelReason == null) {
      cancelReason = c.reason() == null || c.reason().isBlank() ? "cancelled" : c.reason();
    } else if (payload instanceof PipelineFinished f && finished == null) {
      finished = f;
      finishedEvent = event;
    }
  }

  private void annotate(Envelope event, List<Annotation> found) {
    if (event.causationId() == null || found.isEmpty()) {
      return;
    }
    List<Annotation> kept = annotations.computeIfAbsent(event.causationId(), k -> new ArrayList<>());
    found.stream().limit(Math.max(0, MAX_ANNOTATIONS - kept.size())).forEach(kept::add);
  }

  private void unitStarted(StepStarted s, Instant at) {
    String key = key(s.step(), s.target());
    if (units.containsKey(key)) {
      return;
    }
    Unit unit = new Unit(s.step(), s.target(), s.requestId(), at);
    units.put(key, unit);
    byRequest.put(s.requestId(), unit);
    Result early = earlyResults.remove(s.requestId());
    if (early != null) {
      settle(unit, early.event(), early.payload());
    }
  }

  private void result(Envelope event, EventPayload payload) {
    if (event.causationId() == null) {
      return;
    }
    Unit unit = byRequest.get(event.causationId());
    if (unit == null) {
      earlyResults.putIfAbsent(event.causationId(), new Result(event, payload));
    } else {
      settle(unit, event, payload);
    }
  }

  /** A worker's answer that arrived before the coordinator's record of asking (it sends, then records). */
  private record Result(Envelope event, EventPayload payload) {
  }

  private static void settle(Unit unit, Envelope event, EventPayload payload) {
    if (unit.state != UnitState.RUNNING) {
      return;
    }
    if (payload instanceof StepFinished f) {
      unit.state = UnitState.SUCCEEDED;
      unit.summary = f.summary();
    } else if (payload instanceof StepFailed f) {
      unit.state = f.errorKind() == io.garden.common.event.FailureKind.CANCELLED ? UnitState.CANCELLED
          : UnitState.FAILED;
      unit.summary = f.reason();
      unit.failureKind = f.errorKind();
    }
    unit.finishedAt = event.time();
  }

  /** Records a dispatch at once, so the next decision does not send it again before it comes back on the stream. */
  public void dispatched(Decision.Dispatch dispatch, Instant at) {
    unitStarted(new StepStarted(dispatch.step(), dispatch.target(), dispatch.requestId()), at);
  }

  /**
   * What to do next: dispatch the next units of the current step (at most {@code maxParallel} running at once),
   * or finish — failed at the first failed unit, cancelled when asked (never while a publish is writing), succeeded
   * when every step is done. Nothing while units are running and nothing can be added.
   */
  public List<Decision> next(int maxParallel) {
    if (started == null || finished != null) {
      return List.of();
    }
    if (cancelReason != null) {
      boolean publishing = units.values().stream()
          .anyMatch(u -> u.state == UnitState.RUNNING && writesRegistry(u.step));
      return publishing ? List.of() : List.of(new Decision.Finish(PipelineFinished.State.CANCELLED, cancelReason));
    }
    for (StepName step : started.steps()) {
      if (gated(step)) {
        Optional<List<Decision>> waiting = gate.next(id, step, started.approvalsRequired(), requester(), this::unit);
        if (waiting.isPresent()) {
          return waiting.get();
        }
        continue;
      }
      List<String> targets = targets(step);
      List<Unit> stepUnits = targets.stream().map(t -> units.get(key(step, t))).filter(u -> u != null).toList();
      Optional<Unit> failed = stepUnits.stream().filter(u -> u.state == UnitState.FAILED).findFirst();
      if (failed.isPresent()) {
        return List.of(new Decision.Finish(PipelineFinished.State.FAILED,
            step + " failed: " + Optional.ofNullable(failed.get().summary).orElse(failed.get().target)));
      }
      if (stepUnits.size() == targets.size() && stepUnits.stream().allMatch(u -> u.state == UnitState.SUCCEEDED)) {
        continue;
      }
      long running = stepUnits.stream().filter(u -> u.state == UnitState.RUNNING).count();
      return targets.stream().filter(t -> !units.containsKey(key(step, t)))
          .filter(t -> step != StepName.PUSH || PushUnits.ready(t, started.platforms(), this::pushed))
          .limit(Math.max(0, maxParallel - running))
          .map(t -> (Decision) new Decision.Dispatch(step, t, RequestIds.of(id, step, t)))
          .toList();
    }
    return List.of(new Decision.Finish(PipelineFinished.State.SUCCEEDED, null));
  }

  /** A write to a stage that waits for approval: the pipeline's stage is protected and it is not a dry run. */
  private boolean gated(StepName step) {
    return writesRegistry(step) && started.approvalsRequired() > 0 && !started.options().dryRun();
  }

  private Unit unit(StepName step, String target) {
    return units.get(key(step, target));
  }

  /** Who asked for the pipeline: the one person who may not approve its write. */
  public String requester() {
    return startedEvent == null ? null : startedEvent.actor();
  }

  /** Records an approval request at once, so the next decision does not ask again before it comes back. */
  public void approvalRequested(io.garden.common.event.ApprovalRequested request) {
    gate.asked(request);
  }

  /** The approval it waits for now: the request, the approvals counted so far and the plan approved. */
  public Optional<AwaitingApproval> awaitingApproval() {
    if (started == null || finished != null) {
      return Optional.empty();
    }
    return started.steps().stream().filter(this::gated).findFirst()
        .flatMap(step -> gate.waiting(step, started.approvalsRequired(), requester(), this::unit));
  }

  private static boolean writesRegistry(StepName step) {
    return step == StepName.PUBLISH_REGISTRY || step == StepName.UNPUBLISH || step == StepName.RESTORE_REGISTRY
        || step == StepName.PROMOTE;
  }

  /**
   * The targets of a step: every extension for a per-extension step (a push: each extension on each platform, then
   * each extension's index, {@link PushUnits}), else the repository ({@code *}).
   */
  public List<String> targets(StepName step) {
    if (step == StepName.PUSH) {
      return PushUnits.targets(started.extensions(), started.platforms());
    }
    if (step == StepName.PUBLISH_REGISTRY && started.options().dryRun() && !started.options().planStages().isEmpty()) {
      return started.options().planStages(); // a pull request's plan: one dry run per stage
    }
    return step.perExtension() ? started.extensions() : List.of("*");
  }

  private boolean pushed(String target) {
    Unit unit = units.get(key(StepName.PUSH, target));
    return unit != null && unit.state == UnitState.SUCCEEDED;
  }

  private static String key(StepName step, String target) {
    return step.wire() + "|" + target;
  }

  public Optional<PipelineRequested> request() {
    return Optional.ofNullable(request);
  }

  public Optional<Instant> requestedAt() {
    return Optional.ofNullable(requestedAt);
  }

  public Optional<PipelineStarted> started() {
    return Optional.ofNullable(started);
  }

  public Optional<Envelope> startedEvent() {
    return Optional.ofNullable(startedEvent);
  }

  public Optional<PipelineFinished> finished() {
    return Optional.ofNullable(finished);
  }

  public Optional<Envelope> finishedEvent() {
    return Optional.ofNullable(finishedEvent);
  }

  public boolean isFinished() {
    return finished != null;
  }

  public Optional<String> cancelReason() {
    return Optional.ofNullable(cancelReason);
  }

  public List<Unit> units() {
    return List.copyOf(units.values());
  }

  public Map<StepName, String> skipped() {
    return Map.copyOf(skipped);
  }

  public List<Artifact> artifacts() {
    return List.copyOf(artifacts);
  }

  /** What the unit's results said: findings, the end of a failed build's or test's output. */
  public List<Annotation> annotations(Unit unit) {
    return List.copyOf(annotations.getOrDefault(unit.requestId(), List.of()));
  }

  /** The decision tables of the publishes (and dry runs) this pipeline made, in order. */
  public List<PublishPlanned> publishPlans() {
    return List.copyOf(publishPlans);
  }
}
