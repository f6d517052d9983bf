package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A request to run steps over extensions; what the gateway puts on {@code garden.pipeline.requests}. {@code steps}
 * are run in the order the coordinator knows ({@code ci-pipeline} stands for all of them).
 *
 * @param trigger the webhook or chat command behind it, or null for a plain API request
 * @param changes what the triggering push changed, for {@code targets: "changed"}, or null
 */
public record PipelineRequested(
    SourceRef source, List<StepName> steps, Targets targets, String stage, PipelineOptions options,
    @JsonInclude(JsonInclude.Include.NON_NULL) Trigger trigger,
    @JsonInclude(JsonInclude.Include.NON_NULL) Changes changes)
    implements EventPayload {

  public PipelineRequested {
    steps = steps == null ? List.of() : List.copyOf(steps);
    targets = targets == null ? Targets.all() : targets;
    stage = stage == null ? "dev" : stage;
    options = options == null ? PipelineOptions.defaults() : options;
  }

  public PipelineRequested(SourceRef source, List<StepName> steps, Targets targets, String stage,
                           PipelineOptions options) {
    this(source, steps, targets, stage, options, null, null);
  }

  /**
   * Whether this is a forced publish ({@code force} with a publish step): one extension, an emergency on stage or
   * prod. {@code force} with remove-publish-lock means something else: remove a live lease.
   */
  public boolean forcesPublish() {
    return options.force() && (steps.contains(StepName.PUBLISH_REGISTRY) || steps.contains(StepName.CI_PIPELINE));
  }
}
