package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * A request on {@code garden.build.requests} (keyed by extension id): run {@code steps} ({@code build},
 * {@code test}, {@code push}) for one extension of the repository at {@code source}. {@code dryRun}: a push only
 * says what it would push (the gateway authorises a dry run as one only because the worker honours it).
 *
 * <p>A push of a pipeline that names {@code platforms} comes in units: one per platform ({@code platform} set, on
 * that platform's topic): build and push that platform's image of each service; then one that puts, for each
 * service, the image index of every platform under the stage tag ({@code platform} null). Without
 * {@code platforms} a push is one unit that builds every platform the worker is set to.
 */
public record BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                             Map<String, String> buildArgs, Long timeoutSeconds,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> platforms,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String platform) implements EventPayload {

  public BuildRequested {
    steps = steps == null || steps.isEmpty() ? List.of(BuildStep.BUILD) : List.copyOf(steps);
    stage = stage == null ? "dev" : stage;
    buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
    dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  public BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                        Map<String, String> buildArgs, Long timeoutSeconds, Boolean dryRun) {
    this(source, extension, steps, stage, noCache, buildArgs, timeoutSeconds, dryRun, null, null);
  }

  public BuildRequested(SourceRef source, String extension, List<BuildStep> steps, String stage, boolean noCache,
                        Map<String, String> buildArgs, Long timeoutSeconds) {
    this(source, extension, steps, stage, noCache, buildArgs, timeoutSeconds, null);
  }

  /** Whether a push only lists what it would push. */
  public boolean onlyPlans() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** One platform's part of a push: build and push its images, put no index. */
  public boolean pushesOnePlatform() {
    return platform != null;
  }

  /** The last part of a per-platform push: put each service's index of the platforms already pushed. */
  public boolean putsIndexes() {
    return platform == null && !platforms.isEmpty();
  }
}
