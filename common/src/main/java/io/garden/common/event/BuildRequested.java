package io.garden.common.event;

import java.util.List;
import java.util.Map;

/**
 * A request on {@code garden.build.requests} (keyed by extension id): run {@code steps} ({@code build},
 * {@code test}, {@code push}) for one extension of the repository at {@code source}.
 */
public record BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                             Map<String, String> buildArgs, Long timeoutSeconds) implements EventPayload {

  public BuildRequested {
    steps = steps == null || steps.isEmpty() ? List.of(BuildStep.BUILD) : List.copyOf(steps);
    stage = stage == null ? "dev" : stage;
    buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
  }
}
