package io.garden.common.event;

/** Switches a pipeline request may carry; all default to off. */
public record PipelineOptions(boolean dryRun, boolean force, boolean noCache) {

  public static PipelineOptions defaults() {
    return new PipelineOptions(false, false, false);
  }
}
