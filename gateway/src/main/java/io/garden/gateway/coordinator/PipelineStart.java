package io.garden.gateway.coordinator;

import io.garden.extension.model.ExtensionRepository;
import io.garden.common.event.Changes;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.Targets;
import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.InvalidExtensionException;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.sources.SourcePolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a pipeline request into its plan, or a refusal: the source allowed and readable, the targets resolved to
 * extensions that exist, the steps expanded. Blocking (it lists the repository): run it off the event loop.
 */
public final class PipelineStart {

  private PipelineStart() {
  }

  /**
   * @throws PlanRefusedException       when the steps cannot run as asked
   * @throws IllegalArgumentException   for a source or target that is not allowed or does not exist
   */
  /** A planned pipeline: what it runs, and the steps it skips, each announced as {@code step.skipped}. */
  public record Planned(PipelineStarted started, List<StepSkipped> skipped) {
  }

  /**
   * @param platforms what a push builds; each must have a build worker ({@code builders}), or the plan is refused
   *                  before anything runs
   */
  public static Planned plan(PipelineRequested request, SourcePolicy policy, SourceCheckouts checkouts,
                             Supplier<String> engineState, Platforms platforms, PlatformBuilders builders) {
    SourceRef source = policy.check(request.source());
    Path root = ExtensionRepository.require(checkouts.resolve(source));
    List<String> notes = new ArrayList<>();
    List<String> extensions = request.targets().mode() == Targets.Mode.CHANGED && request.changes() != null
        ? changed(root, affected(request, source, checkouts, notes), notes)
        : extensions(root, request.targets(), notes);
    if (extensions.isEmpty() && request.targets().mode() == Targets.Mode.CHANGED) {
      // A recorded no-op: the pipeline starts with nothing to run and succeeds at once.
      return new Planned(new PipelineStarted(source, List.of(), request.targets(), extensions, request.stage(),
          request.options(), notes, request.trigger()), List.of());
    }
    boolean imageSteps = request.steps().stream().anyMatch(s -> s.needsEngine() || s == StepName.CI_PIPELINE);
    PipelinePlan plan = PipelinePlan.of(request.steps(), request.options(), imageSteps ? engineState.get() : null);
    notes.addAll(plan.notes());
    if (request.forcesPublish() && extensions.size() != 1) {
      throw new PlanRefusedException("Error: FORCE requires TYPE and NAME to specify which extension to force");
    }
    List<StepSkipped> skipped = plan.skipped().entrySet().stream()
        .map(e -> new StepSkipped(e.getKey(), "*", e.getValue())).toList();
    List<String> pushed = List.of();
    if (plan.steps().contains(StepName.PUSH) && !extensions.isEmpty()) {
      builders.require(platforms);
      pushed = platforms.list().stream().map(Platform::wire).toList();
    }
    return new Planned(new PipelineStarted(source, plan.steps(), request.targets(), extensions, request.stage(),
        request.options(), notes, request.trigger(), pushed), skipped);
  }

  /**
   * What the triggering push changed: the diff {@code base..commit} in the checkout, or the sender's own list when
   * the base is not there (a force push, a shallow sender).
   */
  private static AffectedExtensions affected(PipelineRequested request, SourceRef source, SourceCheckouts checkouts,
                                             List<String> notes) {
    Changes changes = request.changes();
    Optional<List<String>> diffed = checkouts.changedPaths(source, changes.base());
    if (diffed.isEmpty() && !changes.paths().isEmpty()) {
      notes.add("changed files from the webhook's list (" + changes.paths().size() + "): the commit before the"
          + " push is not in the repository");
    }
    if (diffed.isEmpty() && changes.paths().isEmpty()) {
      notes.add("every extension runs: what the change touched is not known");
      return AffectedExtensions.everything("what the change touched is not known");
    }
    AffectedExtensions affected = AffectedExtensions.of(diffed.orElse(changes.paths()));
    if (affected.all()) {
      notes.add("every extension runs: " + affected.reason());
    }
    return affected;
  }

  /** The affected extensions that exist at the commit (one the change deleted has nothing left to check). */
  private static List<String> changed(Path root, AffectedExtensions affected, List<String> notes) {
    if (affected.all()) {
      return extensions(root, Targets.all(), notes);
    }
    Set<String> present = new HashSet<>(extensions(root, Targets.all(), notes));
    List<String> ids = affected.ids().stream().sorted().filter(present::contains).toList();
    if (ids.isEmpty()) {
      notes.add("no extension changed: nothing to run");
    }
    return ids;
  }

  /** The extension ids a selection means in this repository; a listed id that does not exist is refused. */
  public static List<String> extensions(Path root, Targets targets, List<String> notes) {
    ExtensionDiscovery discovery = new ExtensionDiscovery(root);
    return switch (targets.mode()) {
      case ALL -> ids(discovery.all().extensions());
      case CHANGED -> {
        notes.add("targets=changed: a local folder has no change information, so every extension runs");
        yield ids(discovery.all().extensions());
      }
      case LIST -> {
        List<String> ids = new ArrayList<>();
        for (String id : targets.ids()) {
          try {
            ids.add(discovery.resolveId(id).id());
          } catch (InvalidExtensionException e) {
            throw new IllegalArgumentException("unknown extension '" + id + "': " + e.getMessage());
          }
        }
        yield List.copyOf(ids);
      }
    };
  }

  private static List<String> ids(List<ExtensionRef> refs) {
    return refs.stream().map(ExtensionRef::id).toList();
  }
}
