package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * A request on {@code garden.build.requests} (keyed by extension id): run {@code steps} ({@code build},
 * {@code test}, {@code push}) for one extension of the repository at {@code source}. {@code dryRun}: a push only
 * says what it would push (the gateway authorises a dry run as one only because the worker honours it).
 */
public record BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                             Map<String, String> buildArgs, Long timeoutSeconds,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun) implements EventPayload {

  public BuildRequested {
    steps = steps == null || steps.isEmpty() ? List.of(BuildStep.BUILD) : List.copyOf(steps);
    stage = stage == null ? "dev" : stage;
    buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
    dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
  }

  public BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                        Map<String, String> buildArgs, Long timeoutSeconds) {
    this(source, extension, steps, stage, noCache, buildArgs, timeoutSeconds, null);
  }

  /** Whether a push only lists what it would push. */
  public boolean onlyPlans() {
    return Boolean.TRUE.equals(dryRun);
  }
}
