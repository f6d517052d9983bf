package io.garden.common.event;

import java.util.List;

/**
 * The coordinator accepted a pipeline and fixed its plan: the steps it will run, in order (composites expanded,
 * steps it decided to skip left out and explained in {@code notes}), the selection asked for ({@code targets}) and
 * the extensions it resolved to. Its state after
 * a restart is rebuilt from this and the events that follow.
 */
public record PipelineStarted(SourceRef source, List<StepName> steps, Targets targets, List<String> extensions,
                              String stage, PipelineOptions options, List<String> notes) implements EventPayload {

  public PipelineStarted {
    steps = List.copyOf(steps);
    targets = targets == null ? Targets.of(extensions) : targets;
    extensions = List.copyOf(extensions);
    options = options == null ? PipelineOptions.defaults() : options;
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
