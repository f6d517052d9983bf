package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineStarted;
import io.garden.common.event.StepName;
import io.garden.common.model.Stage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Which stages a write waits for approval on, and for how many people: {@code GARDEN_PROTECTED_STAGES}
 * ({@code prod:1,stage:0}; a stage named without a count needs 1; 0 or absent, none). A write is a publish, promote,
 * unpublish or restore; a dry run is never held. {@code GARDEN_APPROVAL_HOURS} (24, fractions allowed): how long a
 * request waits before it is rejected as expired.
 */
public record ProtectedStages(Map<Stage, Integer> approvals, Duration approvalWait) {

  static final Set<StepName> WRITES = Set.of(StepName.PUBLISH_REGISTRY, StepName.PROMOTE, StepName.UNPUBLISH,
      StepName.RESTORE_REGISTRY);

  public ProtectedStages {
    approvals = approvals.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(approvals));
    if (approvalWait.isNegative() || approvalWait.isZero()) {
      throw new IllegalArgumentException("GARDEN_APPROVAL_HOURS must be more than 0");
    }
  }

  public static ProtectedStages none() {
    return new ProtectedStages(Map.of(), Duration.ofHours(24));
  }

  public static ProtectedStages fromEnv(Map<String, String> env) {
    Map<Stage, Integer> approvals = new EnumMap<>(Stage.class);
    String value = env.getOrDefault("GARDEN_PROTECTED_STAGES", "");
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] stageAndCount = part.trim().split(":", 2);
      Stage stage;
      int count;
      try {
        stage = Stage.parse(stageAndCount[0].trim());
        count = stageAndCount.length == 1 ? 1 : Integer.parseInt(stageAndCount[1].trim());
        if (count < 0 || count > 10) {
          throw new NumberFormatException();
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("GARDEN_PROTECTED_STAGES: '" + part.trim() + "' is not STAGE or"
            + " STAGE:COUNT (a stage of dev, stage, prod; a count of approvers from 0 to 10), e.g. prod:1,stage:0");
      }
      approvals.put(stage, count);
    }
    String hours = env.getOrDefault("GARDEN_APPROVAL_HOURS", "24").trim();
    double parsed;
    try {
      parsed = Double.parseDouble(hours);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("GARDEN_APPROVAL_HOURS must be a number of hours (24, 0.5), was '" + hours
          + "'");
    }
    if (!(parsed > 0) || parsed > 24 * 30) {
      throw new IllegalArgumentException("GARDEN_APPROVAL_HOURS must be more than 0 and at most 720, was " + hours);
    }
    return new ProtectedStages(approvals, Duration.ofMillis(Math.round(parsed * 3_600_000)));
  }

  /** How many approvals {@code started}'s write needs: 0 for a dry run, a pipeline that writes nothing, or dev. */
  public int approvalsFor(PipelineStarted started) {
    if (started.options().dryRun() || started.steps().stream().noneMatch(WRITES::contains)) {
      return 0;
    }
    return approvals.getOrDefault(Stage.parse(started.stage()), 0);
  }

  /** The same plan, holding its write for approval when its stage is protected. */
  public PipelineStart.Planned apply(PipelineStart.Planned planned) {
    int needed = approvalsFor(planned.started());
    if (needed == 0) {
      return planned;
    }
    PipelineStarted s = planned.started();
    return new PipelineStart.Planned(new PipelineStarted(s.source(), s.steps(), s.targets(), s.extensions(),
        s.stage(), s.options(), s.notes(), s.trigger(), s.platforms(), needed), planned.skipped());
  }
}
