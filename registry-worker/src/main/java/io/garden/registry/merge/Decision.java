package io.garden.registry.merge;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** One row of the decision table that publishing prints and emits. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Decision(String name, String version, String range, Action action, List<String> replaces,
                       String message) {

  public Decision {
    replaces = replaces == null ? List.of() : List.copyOf(replaces);
  }

  public boolean failed() {
    return action == Action.FAIL;
  }
}
