package io.garden.gateway.hooks;

import io.garden.common.model.Stage;

import io.garden.common.event.Changes;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.Trigger;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a change from a git host starts. A push by the pipeline's own bot starts nothing (else its own commits would
 * loop). Code from a fork is untrusted: it is synced and validated, never built, pushed or published, unless its
 * repository is configured to trust forks. A new branch or a force push checks everything; otherwise the
 * coordinator works out what changed.
 *
 * @param botIdentity      {@code GARDEN_BOT_IDENTITY}: the login or name the pipeline pushes as, or empty
 * @param trustForksOf     {@code GARDEN_TRUST_FORKS}: repositories whose fork pull requests run in full
 */
public record HookPolicy(Optional<String> botIdentity, Set<String> trustForksOf, List<Stage> planStages) {

  public HookPolicy {
    trustForksOf = Set.copyOf(trustForksOf);
    planStages = List.copyOf(planStages);
  }

  public HookPolicy(Optional<String> botIdentity, Set<String> trustForksOf) {
    this(botIdentity, trustForksOf, List.of(Stage.DEV));
  }

  /**
   * {@code GARDEN_PLAN_STAGES} (dev): the stages a trusted pull request's publish is rehearsed against, each a dry
   * run whose decision table is commented on the request; empty, none. The first is the pipeline's own stage.
   */
  public static List<Stage> planStages(String value) {
    if (value == null) {
      return List.of(Stage.DEV);
    }
    List<Stage> stages = new java.util.ArrayList<>();
    for (String name : java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .toList()) {
      try {
        Stage stage = Stage.parse(name);
        if (!stages.contains(stage)) {
          stages.add(stage);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("GARDEN_PLAN_STAGES: '" + name + "' is not dev, stage or prod"
            + " (comma-separated, e.g. dev,prod; empty plans nothing)");
      }
    }
    return List.copyOf(stages);
  }

  /** Steps for untrusted code: nothing in them executes the repository's content. */
  public static final List<StepName> UNTRUSTED_STEPS = List.of(StepName.SYNC_COMPOSE, StepName.VALIDATE);

  /** What to do with one change. */
  public sealed interface Decision {
    record Ignore(String reason) implements Decision {
    }

    record Run(PipelineRequested request) implements Decision {
    }
  }

  public Decision decide(CodeChange change, String delivery) {
    if (botIdentity.isPresent() && change.author() != null
        && change.author().toLowerCase(Locale.ROOT).equals(botIdentity.get().toLowerCase(Locale.ROOT))) {
      return new Decision.Ignore("pushed by " + change.author() + ", the pipeline's own identity: nothing to do");
    }
    boolean untrusted = change.fork() && !trustForksOf.contains(change.repository());
    List<StepName> steps = untrusted ? UNTRUSTED_STEPS : List.of(StepName.CI_PIPELINE);
    Targets targets = change.everything() ? Targets.all() : Targets.changed();
    Changes changes = change.everything() ? null : new Changes(change.base(), change.paths());
    Trigger trigger = new Trigger(change.kind(), delivery, change.repository(), change.ref(), change.commit(),
        change.fork(), change.sentAt(), change.number());
    // A trusted pull request also rehearses the publish a merge would make: its plan is commented on the request.
    boolean plans = !untrusted && change.isRequest() && !planStages.isEmpty();
    PipelineOptions options = plans ? PipelineOptions.plan(planStages.stream().map(Stage::id).toList())
        : PipelineOptions.defaults();
    return new Decision.Run(new PipelineRequested(SourceRef.git(change.cloneUrl(), change.ref(), change.commit()),
        steps, targets, plans ? planStages.get(0).id() : "dev", options, trigger, changes));
  }
}
