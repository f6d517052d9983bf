package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Switches a pipeline request may carry; all default to off. {@code push} and {@code publish} add those steps to a
 * {@code ci-pipeline}; {@code name} and {@code backup} are the arguments of unpublish and restore-registry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish,
                              String name, String backup) {

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache) {
    this(dryRun, force, noCache, false, false, null, null);
  }

  public static PipelineOptions defaults() {
    return new PipelineOptions(false, false, false);
  }
}
