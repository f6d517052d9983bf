package io.garden.common.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Switches a pipeline request may carry; all default to off. {@code push} and {@code publish} add those steps to a
 * {@code ci-pipeline}; {@code name} and {@code backup} are the arguments of unpublish and restore-registry;
 * {@code emergency} confirms a {@code force} on stage or prod (an admin's, recorded), which is refused without it;
 * {@code from} and {@code version} are promote's (with {@code name}: the published name). {@code force} with
 * remove-publish-lock removes a live lease. {@code yank}: with unpublish of one {@code version}, why it is withdrawn.
 * {@code planStages}: a dry-run publish rehearsed on each of these stages (a pull request's plan).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish,
                              String name, String backup,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean emergency,
                              String from, String version, String yank,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> planStages) {

  public PipelineOptions {
    planStages = planStages == null ? List.of() : List.copyOf(planStages);
  }

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish, String name,
                         String backup, boolean emergency, String from, String version, String yank) {
    this(dryRun, force, noCache, push, publish, name, backup, emergency, from, version, yank, List.of());
  }

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish, String name,
                         String backup, boolean emergency, String from, String version) {
    this(dryRun, force, noCache, push, publish, name, backup, emergency, from, version, null);
  }

  /**
   * A pull request's plan: its pipeline with a dry run of the publish a merge would make, on each of {@code stages}
   * (the first is the pipeline's own stage).
   */
  public static PipelineOptions plan(List<String> stages) {
    return new PipelineOptions(true, false, false, false, true, null, null, false, null, null, null, stages);
  }

  /**
   * A yank: the unpublish of one version ({@code name}, {@code version}) with why ({@code reason}), kept in the
   * release history as a tombstone.
   */
  public static PipelineOptions yank(boolean dryRun, String name, String version, String reason) {
    return new PipelineOptions(dryRun, false, false, false, false, name, null, false, null, version, reason);
  }

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish, String name,
                         String backup, boolean emergency) {
    this(dryRun, force, noCache, push, publish, name, backup, emergency, null, null);
  }

  /** A promote of the published entry {@code name} from stage {@code from} ({@code version}: null for the newest). */
  public static PipelineOptions promote(boolean dryRun, String name, String from, String version) {
    return new PipelineOptions(dryRun, false, false, false, false, name, null, false, from, version);
  }

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache) {
    this(dryRun, force, noCache, false, false, null, null, false);
  }

  public PipelineOptions(boolean dryRun, boolean force, boolean noCache, boolean push, boolean publish, String name,
                         String backup) {
    this(dryRun, force, noCache, push, publish, name, backup, false);
  }

  /**
   * How requests and events are read: a switch left out is off. An API caller writes {@code {"dryRun": true}}, not
   * all five switches.
   */
  @JsonCreator
  static PipelineOptions read(@JsonProperty("dryRun") Boolean dryRun, @JsonProperty("force") Boolean force,
                              @JsonProperty("noCache") Boolean noCache, @JsonProperty("push") Boolean push,
                              @JsonProperty("publish") Boolean publish, @JsonProperty("name") String name,
                              @JsonProperty("backup") String backup, @JsonProperty("emergency") Boolean emergency,
                              @JsonProperty("from") String from, @JsonProperty("version") String version,
                              @JsonProperty("yank") String yank,
                              @JsonProperty("planStages") List<String> planStages) {
    return new PipelineOptions(on(dryRun), on(force), on(noCache), on(push), on(publish), name, backup,
        on(emergency), from, version, yank, planStages);
  }

  private static boolean on(Boolean value) {
    return value != null && value;
  }

  public static PipelineOptions defaults() {
    return new PipelineOptions(false, false, false);
  }
}
