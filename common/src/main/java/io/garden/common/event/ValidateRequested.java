package io.garden.common.event;

import java.util.List;

/**
 * A request on {@code garden.validate.requests}: run {@code steps} ({@code sync-compose}, {@code check},
 * {@code validate}; default {@code validate}) over {@code targets} of the repository at {@code source}.
 */
public record ValidateRequested(SourceRef source, Targets targets, List<String> steps) implements EventPayload {

  public static final List<String> KNOWN_STEPS = List.of("sync-compose", "check", "validate");

  public ValidateRequested {
    targets = targets == null ? Targets.all() : targets;
    steps = steps == null || steps.isEmpty() ? List.of("validate") : List.copyOf(steps);
  }
}
