package io.garden.common.event;

import java.util.List;

/**
 * A request on {@code garden.validate.requests}: run {@code steps} ({@code sync-compose}, {@code check},
 * {@code validate}; default {@code validate}) over {@code targets} of the repository at {@code source}.
 */
public record ValidateRequested(SourceRef source, Targets targets, List<ValidateStep> steps) implements EventPayload {

  public ValidateRequested {
    targets = targets == null ? Targets.all() : targets;
    steps = steps == null || steps.isEmpty() ? List.of(ValidateStep.VALIDATE) : List.copyOf(steps);
  }
}
