package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** One row of a publish decision table, as carried by {@code publish.planned}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlannedDecision(String file, String name, String version, String range, String action,
                              List<String> replaces, String message) {

  public PlannedDecision {
    replaces = replaces == null ? List.of() : List.copyOf(replaces);
  }
}
