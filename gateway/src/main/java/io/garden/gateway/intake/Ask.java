package io.garden.gateway.intake;

import io.garden.common.event.AccessAction;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.model.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One thing a principal asks to do: an action, the stage it touches (or null) and its target, as the audit log
 * names them.
 */
public record Ask(AccessAction action, Stage stage, String target) {

  /**
   * Steps whose own role is all they need: an {@code unlock}-only credential removes a lock without also holding
   * {@code run} (these steps build nothing and run nothing from the repository).
   */
  private static final Set<StepName> ONLY_THEIR_OWN_ROLE = Set.of(StepName.UNPUBLISH, StepName.RESTORE_REGISTRY,
      StepName.REMOVE_PUBLISH_LOCK, StepName.PROMOTE);

  public static Ask read(String target) {
    return new Ask(AccessAction.READ, null, target);
  }

  /** A cancel of a pipeline that changes no stage: {@code run} may. */
  public static Ask cancel(String pipelineId) {
    return new Ask(AccessAction.CANCEL, null, pipelineId);
  }

  /**
   * A cancel of the pipeline that {@code request} asked for: when that pipeline changes a stage (a publish, an
   * unpublish, a restore, an unlock that is not a dry run), stopping it halfway is a decision about that stage and
   * needs its publish role; otherwise {@code run} may.
   */
  public static Ask cancel(String pipelineId, PipelineRequested request) {
    boolean changesStage = of(request).stream().anyMatch(ask -> ask.action() != AccessAction.RUN);
    return new Ask(AccessAction.CANCEL, changesStage ? Stage.parse(request.stage()) : null, pipelineId);
  }

  /** Approving or rejecting pipeline {@code pipelineId}'s write to {@code stage}. */
  public static Ask approve(String pipelineId, Stage stage) {
    return new Ask(AccessAction.APPROVE, stage, pipelineId);
  }

  public static Ask admin(String target) {
    return new Ask(AccessAction.ADMIN, null, target);
  }

  /**
   * Everything a pipeline request asks for, the most consequential last: it always runs something; it publishes,
   * unpublishes, restores or removes a lock on its stage when its steps do; pushing stage or prod image tags is
   * publishing to that stage. A dry run of a publish or a push only runs: every worker that could write honours the
   * dry-run switch of its request ({@code PublishRequested}, {@code BuildRequested}), so nothing is written. A dry
   * run of an unpublish, a restore or an unlock still needs that action's role: its answer (what a stage holds, which
   * backups exist, who holds the lock) is for those who may do it.
   */
  public static List<Ask> of(PipelineRequested request) {
    Stage stage = Stage.parse(request.stage());
    String target = target(request);
    boolean dryRun = request.options().dryRun();
    Set<StepName> steps = Set.copyOf(request.steps());
    List<Ask> asks = new ArrayList<>();
    if (!ONLY_THEIR_OWN_ROLE.containsAll(steps)) {
      asks.add(new Ask(AccessAction.RUN, stage, target));
    }
    boolean publishes = steps.contains(StepName.PUBLISH_REGISTRY)
        || steps.contains(StepName.CI_PIPELINE) && request.options().publish()
        || stage != Stage.DEV && (steps.contains(StepName.PUSH)
        || steps.contains(StepName.CI_PIPELINE) && request.options().push());
    if (publishes && !dryRun) {
      asks.add(new Ask(AccessAction.PUBLISH, stage, target));
    }
    if (steps.contains(StepName.PUBLISH_REGISTRY) && request.options().force() && stage != Stage.DEV && !dryRun) {
      asks.add(new Ask(AccessAction.FORCE, stage, target));
    }
    String preview = dryRun ? " (dry run)" : "";
    if (steps.contains(StepName.UNPUBLISH)) {
      asks.add(new Ask(AccessAction.UNPUBLISH, stage, (request.options().name() == null ? target
          : request.options().name()) + preview));
    }
    if (steps.contains(StepName.RESTORE_REGISTRY)) {
      asks.add(new Ask(AccessAction.RESTORE, stage, (request.options().backup() == null ? "newest backup"
          : request.options().backup()) + preview));
    }
    if (steps.contains(StepName.REMOVE_PUBLISH_LOCK)) {
      // A forced removal of a live lease is its own decision: its holder may still be writing the index.
      asks.add(new Ask(request.options().force() ? AccessAction.FORCE_UNLOCK : AccessAction.UNLOCK, stage,
          dryRun ? "(dry run)" : null));
    }
    if (steps.contains(StepName.PROMOTE)) {
      asks.add(new Ask(AccessAction.PROMOTE, stage, request.options().name() + " from " + request.options().from()
          + preview));
    }
    return List.copyOf(asks);
  }

  private static String target(PipelineRequested request) {
    Targets targets = request.targets();
    return switch (targets.mode()) {
      case ALL -> "all";
      case CHANGED -> "changed";
      case LIST -> String.join(",", targets.ids());
    };
  }

  /** The role that allows this. */
  public Role role() {
    return switch (action) {
      case READ -> Role.READ;
      case RUN -> Role.RUN;
      case CANCEL -> stage == null ? Role.RUN : Role.publish(stage);
      case PUBLISH -> Role.publish(stage);
      case UNPUBLISH -> Role.UNPUBLISH;
      case RESTORE -> Role.RESTORE;
      case UNLOCK -> Role.UNLOCK;
      case FORCE_UNLOCK -> Role.UNLOCK_FORCE;
      case PROMOTE -> Role.promote(stage);
      case APPROVE -> Role.approve(stage);
      case FORCE, ADMIN -> Role.ADMIN;
    };
  }

  /** In words: "publish to prod", "unlock on stage". */
  public String describe() {
    String on = stage == null ? "" : switch (action) {
      case PUBLISH, UNPUBLISH -> (action == AccessAction.PUBLISH ? " to " : " from ") + stage.id();
      case PROMOTE -> " to " + stage.id();
      case FORCE -> " a publish to " + stage.id() + " (emergency)";
      case APPROVE -> " a write to " + stage.id();
      case CANCEL -> " a pipeline that changes " + stage.id();
      default -> " on " + stage.id();
    };
    return action.wire() + on;
  }
}
