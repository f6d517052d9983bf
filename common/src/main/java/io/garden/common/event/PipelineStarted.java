package io.garden.common.event;

import java.util.List;

/**
 * The coordinator accepted a pipeline and fixed its plan: the steps in order (composites expanded) and the
 * extensions they run on. Its state after a restart is rebuilt from this and the events that follow.
 */
public record PipelineStarted(SourceRef source, List<StepName> steps, List<String> extensions, String stage,
                              PipelineOptions options) implements EventPayload {

  public PipelineStarted {
    steps = List.copyOf(steps);
    extensions = List.copyOf(extensions);
    options = options == null ? PipelineOptions.defaults() : options;
  }
}
