package io.garden.common.event;

import java.util.List;

/** sync-compose ran ({@code check}: without writing). {@code passed} is false when anything is stale or failed. */
public record SyncFinished(boolean check, boolean passed, List<ExtensionFindings> results) implements EventPayload {

  public SyncFinished {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
