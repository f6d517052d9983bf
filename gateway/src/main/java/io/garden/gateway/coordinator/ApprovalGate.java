package io.garden.gateway.coordinator;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.StepName;
import io.garden.common.release.PlanDigest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The wait before a write to a protected stage, as the audit stream tells it: for attempt {@code n}, a dry run
 * ({@code plan-n}), then {@code approval.requested} for its decision table, then — once enough people other than the
 * requester approved that very table — the write ({@code apply-n}), which the publisher stops, nothing written, when
 * its own plan under the lock differs (another publish landed). Then attempt {@code n+1} plans and asks again. A
 * rejection, an expiry, or a dry run that would fail ends the pipeline.
 */
final class ApprovalGate {

  /** A plan that keeps changing under it (a busy stage) is given up on rather than asked about for ever. */
  static final int MAX_ATTEMPTS = 5;
  static final String PLAN = "plan-";
  static final String APPLY = "apply-";

  private final Map<String, PublishPlanned> plansByRequest = new HashMap<>();
  private final Map<String, ApprovalRequested> requested = new LinkedHashMap<>();
  private final Map<String, List<ApprovalDecided>> decided = new HashMap<>();

  void apply(Envelope event, EventPayload payload) {
    if (payload instanceof PublishPlanned plan && plan.dryRun() && event.causationId() != null) {
      plansByRequest.putIfAbsent(event.causationId(), plan);
    } else if (payload instanceof ApprovalRequested r) {
      requested.putIfAbsent(r.plan(), r);
    } else if (payload instanceof ApprovalDecided d && d.plan() != null) {
      decided.computeIfAbsent(d.plan(), k -> new ArrayList<>()).add(d);
    }
  }

  /** The coordinator asked; it is recorded at once so the next decision does not ask again. */
  void asked(ApprovalRequested request) {
    requested.putIfAbsent(request.plan(), request);
  }

  /**
   * @param unit     a unit of this step by target, or null when it was never dispatched
   * @param required approvals needed
   * @param requester who asked for the pipeline: never counted as an approver
   * @return what to do now; empty when the write is done and the pipeline goes on
   */
  Optional<List<Decision>> next(String pipelineId, StepName step, int required, String requester,
                                BiFunction<StepName, String, PipelineRun.Unit> unit) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      PipelineRun.Unit plan = unit.apply(step, PLAN + attempt);
      if (plan == null) {
        return Optional.of(List.of(dispatch(pipelineId, step, PLAN + attempt, null)));
      }
      if (plan.state() == PipelineRun.UnitState.RUNNING) {
        return Optional.of(List.of());
      }
      if (plan.state() != PipelineRun.UnitState.SUCCEEDED) {
        return Optional.of(List.of(fail(step + " failed: its dry run for approval: " + plan.summary())));
      }
      PublishPlanned planned = plansByRequest.getOrDefault(plan.requestId(), new PublishPlanned(null, null, true,
          false, List.of()));
      if (planned.failed()) {
        return Optional.of(List.of(fail(step + " failed: its plan would FAIL, so there is nothing to approve: "
            + plan.summary())));
      }
      String digest = PlanDigest.of(planned.decisions());
      PipelineRun.Unit write = unit.apply(step, APPLY + attempt);
      if (write == null) {
        if (!requested.containsKey(digest)) {
          return Optional.of(List.of(new Decision.RequestApproval(step, digest, required)));
        }
        Verdict verdict = verdict(digest, required, requester);
        if (verdict.refusal() != null) {
          return Optional.of(List.of(fail(verdict.refusal())));
        }
        return Optional.of(verdict.approved() ? List.of(dispatch(pipelineId, step, APPLY + attempt, digest))
            : List.of());
      }
      if (write.state() == PipelineRun.UnitState.RUNNING) {
        return Optional.of(List.of());
      }
      if (write.state() == PipelineRun.UnitState.SUCCEEDED) {
        return Optional.empty();
      }
      if (write.failureKind() != FailureKind.PLAN_CHANGED) {
        return Optional.of(List.of(fail(step + " failed: " + write.summary())));
      }
    }
    return Optional.of(List.of(fail(step + " failed: its plan changed " + MAX_ATTEMPTS + " times while it waited;"
        + " run it again when the stage is quieter")));
  }

  /** The approval this pipeline waits for now, if it waits for one. */
  Optional<AwaitingApproval> waiting(StepName step, int required, String requester,
                            BiFunction<StepName, String, PipelineRun.Unit> unit) {
    for (int attempt = MAX_ATTEMPTS; attempt >= 1; attempt--) {
      PipelineRun.Unit plan = unit.apply(step, PLAN + attempt);
      if (plan == null || plan.state() != PipelineRun.UnitState.SUCCEEDED) {
        continue;
      }
      if (unit.apply(step, APPLY + attempt) != null) {
        return Optional.empty();
      }
      PublishPlanned planned = plansByRequest.get(plan.requestId());
      String digest = PlanDigest.of(planned == null ? List.of() : planned.decisions());
      ApprovalRequested request = requested.get(digest);
      if (request == null || verdict(digest, required, requester).refusal() != null) {
        return Optional.empty();
      }
      return Optional.of(new AwaitingApproval(request, approvals(digest, requester), planned));
    }
    return Optional.empty();
  }

  private record Verdict(boolean approved, String refusal) {
  }

  private Verdict verdict(String digest, int required, String requester) {
    for (ApprovalDecided d : decided.getOrDefault(digest, List.of())) {
      if (!d.approved()) {
        return new Verdict(false, "rejected by " + d.approver() + (d.reason() == null ? "" : ": " + d.reason()));
      }
      if (d.emergency()) {
        return new Verdict(true, null);
      }
    }
    return new Verdict(approvals(digest, requester).size() >= required, null);
  }

  /** One approval per person, the requester's never. */
  private List<ApprovalDecided> approvals(String digest, String requester) {
    Set<String> seen = new LinkedHashSet<>();
    List<ApprovalDecided> counted = new ArrayList<>();
    for (ApprovalDecided d : decided.getOrDefault(digest, List.of())) {
      if (d.approved() && !d.approver().equals(requester) && seen.add(d.approver())) {
        counted.add(d);
      }
    }
    return counted;
  }

  private static Decision dispatch(String pipelineId, StepName step, String target, String approvedPlan) {
    return new Decision.Dispatch(step, target, RequestIds.of(pipelineId, step, target), approvedPlan);
  }

  private static Decision fail(String reason) {
    return new Decision.Finish(PipelineFinished.State.FAILED, reason);
  }
}
