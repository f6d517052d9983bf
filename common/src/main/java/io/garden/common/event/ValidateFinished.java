package io.garden.common.event;

import java.util.List;

/** validate ran: whether everything passed, the counts, and every extension's findings. */
public record ValidateFinished(boolean passed, int extensions, long errors, long warnings,
                               List<ExtensionFindings> results) implements EventPayload {

  public ValidateFinished {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
