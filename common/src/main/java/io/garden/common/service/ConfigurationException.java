package io.garden.common.service;

import java.util.List;

/** A service cannot start with this environment; every line names the variable to fix. */
public final class ConfigurationException extends RuntimeException {

  private final List<String> problems;

  public ConfigurationException(String service, List<String> problems) {
    super(service + " cannot start with this configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
