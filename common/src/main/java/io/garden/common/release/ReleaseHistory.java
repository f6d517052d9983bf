package io.garden.common.release;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.EventTypes;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.StepName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The releases of every stage folded from the audit stream (the {@code pipeline.requested} of a publish, promote,
 * unpublish or restore: who asked, what for; its {@code publish.planned}, {@code publish.finished} or
 * {@code publish.failed}), in the order they ended; and what a rollback to one of them has to put back. Plain Java:
 * feed it events, in any order of pipelines.
 */
public final class ReleaseHistory {

  /** The event types it reads: what a reader asks the gateway for. */
  public static final Set<String> TYPES = Set.of(EventTypes.nameOf(PipelineRequested.class),
      EventTypes.nameOf(PublishPlanned.class), EventTypes.nameOf(PublishFinished.class),
      EventTypes.nameOf(PublishFailed.class), EventTypes.nameOf(ApprovalDecided.class));
  private static final Set<String> CHANGING = Set.of("INSERT", "REPLACE", "REMOVE", "FORCE");
  private static final EventCodec CODEC = EventCodec.shared();

  /** @param approvals who approved which plan (by digest), and any emergency approval's reason */
  private record Pending(String action, boolean dryRun, String requester, List<PlannedDecision> plan,
                         Map<String, List<ApprovalDecided>> approvals, String reason) {

    Pending withPlan(List<PlannedDecision> decisions) {
      return new Pending(action, dryRun, requester, decisions, approvals, reason);
    }
  }

  private final Map<String, Pending> pending = new HashMap<>();
  private final List<Release> releases = new ArrayList<>();

  public void accept(Envelope event) {
    if (event.pipelineId() == null || !TYPES.contains(event.type())) {
      return;
    }
    EventPayload payload;
    try {
      payload = CODEC.payload(event);
    } catch (MalformedEventException unreadable) {
      return;
    }
    String id = event.pipelineId();
    if (payload instanceof PipelineRequested request) {
      action(request).ifPresent(action -> pending.put(id, new Pending(action, request.options().dryRun(),
          event.actor(), List.of(), new HashMap<>(), request.options().yank())));
    } else if (payload instanceof PublishPlanned plan && !plan.dryRun()) {
      pending.computeIfPresent(id, (k, p) -> p.withPlan(plan.decisions()));
    } else if (payload instanceof ApprovalDecided decided && decided.approved()) {
      Optional.ofNullable(pending.get(id)).ifPresent(p -> p.approvals().computeIfAbsent(decided.plan(),
          k -> new ArrayList<>()).add(decided));
    } else if (payload instanceof PublishFinished finished) {
      end(id, event, finished.stage(), finished.written(), finished.backup(), null);
    } else if (payload instanceof PublishFailed failed) {
      end(id, event, failed.stage(), failed.wrote(), null, failed.reason());
    }
  }

  private void end(String id, Envelope event, String stage, boolean written, String backup, String failure) {
    Pending started = pending.remove(id);
    if (started == null || started.dryRun()) {
      return; // a dry run, or a publish that began before the history read here
    }
    List<PlannedDecision> changes = started.plan().stream()
        .filter(d -> d.action() != null && CHANGING.contains(d.action().toUpperCase(java.util.Locale.ROOT)))
        .toList();
    releases.removeIf(r -> r.id().equals(id)); // said twice (a redo after a death): the last word counts
    // The approvals of the plan it wrote by: those of a plan that changed before it ran approved something else.
    List<ApprovalDecided> approved = started.approvals().getOrDefault(PlanDigest.of(started.plan()), List.of());
    releases.add(new Release(id, event.time(), stage, started.action(), started.requester(),
        changes, written, backup, failure, approved.stream().map(ApprovalDecided::approver).distinct().toList(),
        approved.stream().filter(ApprovalDecided::emergency).map(ApprovalDecided::reason).findFirst().orElse(null),
        started.reason()));
  }

  /** What a pipeline does to a stage's index, if anything: publish, force, promote, unpublish, restore. */
  private static Optional<String> action(PipelineRequested request) {
    List<StepName> steps = request.steps();
    if (steps.contains(StepName.PROMOTE)) {
      return Optional.of("promote");
    }
    if (steps.contains(StepName.UNPUBLISH)) {
      // A yank is an unpublish of one version with its reason: the tombstone this history keeps.
      return Optional.of(request.options().yank() != null ? "yank" : "unpublish");
    }
    if (steps.contains(StepName.RESTORE_REGISTRY)) {
      return Optional.of("restore");
    }
    if (steps.contains(StepName.PUBLISH_REGISTRY) || steps.contains(StepName.CI_PIPELINE)
        && request.options().publish()) {
      return Optional.of(request.forcesPublish() ? "force" : "publish");
    }
    return Optional.empty();
  }

  /** The releases of {@code stage} (all stages when null), oldest first; only those touching {@code extension}. */
  public List<Release> releases(String stage, String extension) {
    return releases.stream()
        .filter(r -> stage == null || r.stage().equals(stage))
        .filter(r -> extension == null || r.touches(extension))
        .sorted(Comparator.comparing(Release::time))
        .toList();
  }

  /** What putting {@code stage}'s index back as {@code id} left it takes. */
  public sealed interface Rollback {
    /** Restore this backup: the one the next release took, which holds the index as {@code id} left it. */
    record Restore(String backupStamp, Release after, Release next) implements Rollback {
    }

    /** Nothing to do: no release wrote the index after it. */
    record AlreadyThere(Release after) implements Rollback {
    }

    /** It cannot be done, and why (said to the user as it is). */
    record Refused(String reason) implements Rollback {
    }
  }

  public Rollback rollbackTo(String stage, String id) {
    List<Release> written = releases(stage, null).stream().filter(Release::written).toList();
    Optional<Release> target = written.stream().filter(r -> r.id().equals(id)).findFirst();
    if (target.isEmpty()) {
      boolean elsewhere = releases.stream().anyMatch(r -> r.id().equals(id));
      return new Rollback.Refused(elsewhere
          ? id + " did not write " + stage + "'s index (another stage, a failure, or nothing to change); `garden"
              + " history --stage " + stage + "` lists the releases that did"
          : "no release " + id + " on " + stage + " in the history; `garden history --stage " + stage
              + "` lists them");
    }
    int at = written.indexOf(target.get());
    if (at == written.size() - 1) {
      return new Rollback.AlreadyThere(target.get());
    }
    Release next = written.get(at + 1);
    if (next.backupStamp() == null) {
      return new Rollback.Refused("the release after it (" + next.id() + ") recorded no backup of the index it"
          + " replaced, so the index as " + id + " left it is not kept; restore-registry lists what is");
    }
    return new Rollback.Restore(next.backupStamp(), target.get(), next);
  }
}
