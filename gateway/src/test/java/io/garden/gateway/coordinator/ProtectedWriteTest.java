package io.garden.gateway.coordinator;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.Targets;
import io.garden.common.release.PlanDigest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.garden.common.event.StepName.PUBLISH_REGISTRY;
import static io.garden.common.event.StepName.VALIDATE;
import static org.assertj.core.api.Assertions.assertThat;

/** A write to a protected stage as the fold sees it: dry run, request, approvals, write, and a plan that moved. */
class ProtectedWriteTest {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final List<PlannedDecision> INSERT = List.of(new PlannedDecision("apps.json", "a", "1.0.0", null,
      "INSERT", List.of(), "new"));
  private static final List<PlannedDecision> UNCHANGED = List.of(new PlannedDecision("apps.json", "a", "1.0.0", null,
      "UNCHANGED", List.of(), "same"));

  private final PipelineRun run = new PipelineRun("p-1");

  private void start(int approvals) {
    apply(new PipelineStarted(SourceRef.local("/repo"), List.of(VALIDATE, PUBLISH_REGISTRY), Targets.all(),
        List.of("apps/a"), "prod", PipelineOptions.defaults(), List.of(), null, List.of(), approvals), null, "alice");
  }

  private Envelope apply(EventPayload payload, String causationId, String actor) {
    Envelope e = CODEC.envelope(payload, new EventContext("p-1", "c", actor, "test@here", causationId));
    run.apply(e, payload);
    return e;
  }

  private Decision.Dispatch dispatchOne() {
    List<Decision> next = run.next(4);
    assertThat(next).hasSize(1).first().isInstanceOf(Decision.Dispatch.class);
    Decision.Dispatch d = (Decision.Dispatch) next.get(0);
    run.dispatched(d, Instant.now());
    return d;
  }

  private void succeed(Decision.Dispatch d) {
    apply(new StepFinished(d.step(), d.target(), 5, "ok"), d.requestId(), "worker");
  }

  /** Validate, then the dry run of the write: its plan is {@code plan}. */
  private String planned(List<PlannedDecision> plan) {
    Decision.Dispatch dryRun = dispatchOne();
    assertThat(dryRun.step()).isEqualTo(PUBLISH_REGISTRY);
    assertThat(dryRun.target()).startsWith("plan-");
    assertThat(dryRun.approvedPlan()).isNull();
    apply(new PublishPlanned("prod", "s3://b", true, false, plan), dryRun.requestId(), "worker");
    succeed(dryRun);
    return PlanDigest.of(plan);
  }

  private Decision.RequestApproval asked() {
    List<Decision> next = run.next(4);
    assertThat(next).hasSize(1).first().isInstanceOf(Decision.RequestApproval.class);
    Decision.RequestApproval r = (Decision.RequestApproval) next.get(0);
    run.approvalRequested(new ApprovalRequested("prod", r.step(), r.plan(), r.required(), run.requester(),
        Instant.now().plusSeconds(3600)));
    return r;
  }

  private void decide(String plan, boolean approved, String approver) {
    apply(new ApprovalDecided("prod", plan, approved, approver, "alice", approved ? null : "not today", false, "api"),
        null, approver);
  }

  private void validated() {
    succeed(dispatchOne());
  }

  @Test
  @DisplayName("a protected write runs its dry run, asks for that plan, and waits; the requester's own approval does"
      + " not count; another person's runs the write held to that plan")
  void waitsForSomeoneElse() {
    start(1);
    validated();
    String plan = planned(INSERT);
    assertThat(asked().plan()).isEqualTo(plan);
    assertThat(run.next(4)).as("waiting").isEmpty();
    assertThat(run.awaitingApproval()).hasValueSatisfying(w -> assertThat(w.plan().decisions()).isEqualTo(INSERT));

    decide(plan, true, "alice");
    assertThat(run.next(4)).as("the requester approving her own write changes nothing").isEmpty();

    decide(plan, true, "bob");
    Decision.Dispatch write = dispatchOne();
    assertThat(write.target()).isEqualTo("apply-1");
    assertThat(write.approvedPlan()).isEqualTo(plan);
    assertThat(run.awaitingApproval()).isEmpty();
    succeed(write);
    assertThat(run.next(4)).containsExactly(new Decision.Finish(PipelineFinished.State.SUCCEEDED, null));
  }

  @Test
  @DisplayName("two approvals needed: one person approving twice is one approval")
  void onePersonIsOneApproval() {
    start(2);
    validated();
    String plan = planned(INSERT);
    asked();
    decide(plan, true, "bob");
    decide(plan, true, "bob");
    assertThat(run.next(4)).isEmpty();
    decide(plan, true, "carol");
    assertThat(dispatchOne().target()).isEqualTo("apply-1");
  }

  @Test
  @DisplayName("a rejection ends the pipeline failed, naming who rejected it and why")
  void aRejectionEndsIt() {
    start(1);
    validated();
    String plan = planned(INSERT);
    asked();
    decide(plan, false, "bob");
    assertThat(run.next(4)).containsExactly(new Decision.Finish(PipelineFinished.State.FAILED,
        "rejected by bob: not today"));
  }

  @Test
  @DisplayName("an approval of another plan does not count")
  void anApprovalIsOfOnePlan() {
    start(1);
    validated();
    planned(INSERT);
    asked();
    decide(PlanDigest.of(UNCHANGED), true, "bob");
    assertThat(run.next(4)).isEmpty();
  }

  @Test
  @DisplayName("when the write finds the plan changed (another publish landed) it plans again and asks again; the"
      + " old approval does not carry over")
  void aChangedPlanAsksAgain() {
    start(1);
    validated();
    String first = planned(INSERT);
    asked();
    decide(first, true, "bob");
    Decision.Dispatch write = dispatchOne();
    apply(new StepFailed(PUBLISH_REGISTRY, "prod", "the plan changed", FailureKind.PLAN_CHANGED), write.requestId(),
        "worker");

    Decision.Dispatch again = dispatchOne();
    assertThat(again.target()).isEqualTo("plan-2");
    apply(new PublishPlanned("prod", "s3://b", true, false, UNCHANGED), again.requestId(), "worker");
    succeed(again);
    Decision.RequestApproval second = asked();
    assertThat(second.plan()).isEqualTo(PlanDigest.of(UNCHANGED)).isNotEqualTo(first);
    assertThat(run.next(4)).as("bob approved the first plan, not this one").isEmpty();
    decide(second.plan(), true, "bob");
    assertThat(dispatchOne().target()).isEqualTo("apply-2");
  }

  @Test
  @DisplayName("a write that fails for another reason ends the pipeline, not another round of approvals")
  void otherFailuresEndIt() {
    start(1);
    validated();
    String plan = planned(INSERT);
    asked();
    decide(plan, true, "bob");
    Decision.Dispatch write = dispatchOne();
    apply(new StepFailed(PUBLISH_REGISTRY, "prod", "lock held", FailureKind.FINDINGS), write.requestId(), "worker");
    assertThat(run.next(4)).containsExactly(new Decision.Finish(PipelineFinished.State.FAILED,
        "publish-registry failed: lock held"));
  }

  @Test
  @DisplayName("an unprotected stage writes at once, as before")
  void unprotectedWritesAtOnce() {
    start(0);
    validated();
    Decision.Dispatch write = dispatchOne();
    assertThat(write.target()).isEqualTo("*");
    assertThat(write.approvedPlan()).isNull();
  }
}
