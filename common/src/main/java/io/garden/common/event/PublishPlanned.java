package io.garden.common.event;

import java.util.List;

/** The decision table of a publish (or a dry run), before anything is written. */
public record PublishPlanned(String stage, String store, boolean dryRun, boolean failed,
                             List<PlannedDecision> decisions) implements EventPayload {

  public PublishPlanned {
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
  }
}
