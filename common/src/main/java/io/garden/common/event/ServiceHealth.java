package io.garden.common.event;

import java.util.List;

/** One service of a smoke test: healthy or why not, and its log tail. */
public record ServiceHealth(String service, boolean healthy, String detail, List<String> logs) {

  public ServiceHealth {
    logs = logs == null ? List.of() : List.copyOf(logs);
  }
}
