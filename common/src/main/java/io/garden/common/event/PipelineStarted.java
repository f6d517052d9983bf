package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The coordinator accepted a pipeline and fixed its plan: the steps it will run, in order (composites expanded,
 * steps it decided to skip left out and explained in {@code notes}), the selection asked for ({@code targets}) and
 * the extensions it resolved to. Its state after
 * a restart is rebuilt from this and the events that follow. {@code trigger} is the request's (who to report to).
 * {@code platforms}: what its push builds, one unit per extension and platform (fixed here, so a replay plans the
 * same units whatever the settings are by then); none for a pipeline that does not push. {@code approvals}: how
 * many people other than the requester must approve its write to a protected stage before it runs (fixed here too,
 * from {@code GARDEN_PROTECTED_STAGES}); absent when none.
 */
public record PipelineStarted(SourceRef source, List<StepName> steps, Targets targets, List<String> extensions,
                              String stage, PipelineOptions options, List<String> notes,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Trigger trigger,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> platforms,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer approvals)
    implements EventPayload {

  public PipelineStarted(SourceRef source, List<StepName> steps, Targets targets, List<String> extensions,
                         String stage, PipelineOptions options, List<String> notes, Trigger trigger,
                         List<String> platforms) {
    this(source, steps, targets, extensions, stage, options, notes, trigger, platforms, null);
  }

  public PipelineStarted(SourceRef source, List<StepName> steps, Targets targets, List<String> extensions,
                         String stage, PipelineOptions options, List<String> notes) {
    this(source, steps, targets, extensions, stage, options, notes, null, null);
  }

  public PipelineStarted(SourceRef source, List<StepName> steps, Targets targets, List<String> extensions,
                         String stage, PipelineOptions options, List<String> notes, Trigger trigger) {
    this(source, steps, targets, extensions, stage, options, notes, trigger, null);
  }

  public PipelineStarted {
    steps = List.copyOf(steps);
    targets = targets == null ? Targets.of(extensions) : targets;
    extensions = List.copyOf(extensions);
    options = options == null ? PipelineOptions.defaults() : options;
    notes = notes == null ? List.of() : List.copyOf(notes);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
    approvals = approvals == null || approvals <= 0 ? null : approvals;
  }

  /** How many approvals its write to the stage waits for; 0: it is not protected. */
  public int approvalsRequired() {
    return approvals == null ? 0 : approvals;
  }
}
