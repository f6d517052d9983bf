package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.Targets;
import io.garden.common.model.ExtensionDiscovery;
import io.garden.common.model.ExtensionRef;
import io.garden.common.model.InvalidExtensionException;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.SourcePolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  public static Planned plan(PipelineRequested request, SourcePolicy policy, SourceCheckouts checkouts,
                             Supplier<String> engineState) {
    SourceRef source = policy.check(request.source());
    Path root = checkouts.resolve(source);
    List<String> notes = new ArrayList<>();
    List<String> extensions = extensions(root, request.targets(), notes);
    boolean imageSteps = request.steps().stream().anyMatch(s -> s.needsEngine() || s == StepName.CI_PIPELINE);
    PipelinePlan plan = PipelinePlan.of(request.steps(), request.options(), imageSteps ? engineState.get() : null);
    notes.addAll(plan.notes());
    if (request.options().force() && extensions.size() != 1) {
      throw new PlanRefusedException("Error: FORCE requires TYPE and NAME to specify which extension to force");
    }
    List<StepSkipped> skipped = plan.skipped().entrySet().stream()
        .map(e -> new StepSkipped(e.getKey(), "*", e.getValue())).toList();
    return new Planned(new PipelineStarted(source, plan.steps(), request.targets(), extensions, request.stage(),
        request.options(), notes), skipped);
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
