package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One row of a publish decision table, as carried by {@code publish.planned}. {@code images}: the entry's own images
 * as it will be published, pinned ({@code kamiwazaai/x:1.0.0@sha256:…}), when the registry pinned them: what the
 * release history shows a release was made of.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlannedDecision(String file, String name, String version, String range, String action,
                              List<String> replaces, String message, List<String> images) {

  public PlannedDecision {
    replaces = replaces == null ? List.of() : List.copyOf(replaces);
    images = images == null ? List.of() : List.copyOf(images);
  }

  public PlannedDecision(String file, String name, String version, String range, String action,
                         List<String> replaces, String message) {
    this(file, name, version, range, action, replaces, message, List.of());
  }
}
