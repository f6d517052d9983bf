package io.garden.extension;

import io.garden.common.model.Finding;

import java.util.List;

/** Validation of one extension: passed when it has no error (warnings are reported, not failed). */
public record ExtensionReport(String extension, List<Finding> findings) {

  public ExtensionReport {
    findings = List.copyOf(findings);
  }

  public boolean passed() {
    return findings.stream().noneMatch(Finding::isError);
  }

  public long errors() {
    return findings.stream().filter(Finding::isError).count();
  }

  public long warnings() {
    return findings.size() - errors();
  }
}
