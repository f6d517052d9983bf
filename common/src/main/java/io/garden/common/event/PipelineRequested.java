package io.garden.common.event;

import java.util.List;

/**
 * A request to run steps over extensions; what the gateway puts on {@code garden.pipeline.requests}. {@code steps}
 * are run in the order the coordinator knows ({@code ci-pipeline} stands for all of them).
 */
public record PipelineRequested(
    SourceRef source, List<StepName> steps, Targets targets, String stage, PipelineOptions options)
    implements EventPayload {

  public PipelineRequested {
    steps = steps == null ? List.of() : List.copyOf(steps);
    targets = targets == null ? Targets.all() : targets;
    stage = stage == null ? "dev" : stage;
    options = options == null ? PipelineOptions.defaults() : options;
  }
}
