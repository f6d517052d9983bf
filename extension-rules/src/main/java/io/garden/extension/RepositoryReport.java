package io.garden.extension;

import java.util.List;

/** The outcome of validating many extensions, in id order. */
public record RepositoryReport(List<ExtensionReport> extensions) {

  public RepositoryReport {
    extensions = List.copyOf(extensions);
  }

  public boolean passed() {
    return extensions.stream().allMatch(ExtensionReport::passed);
  }

  public long failedCount() {
    return extensions.stream().filter(r -> !r.passed()).count();
  }

  public long errorCount() {
    return extensions.stream().mapToLong(ExtensionReport::errors).sum();
  }

  public long warningCount() {
    return extensions.stream().mapToLong(ExtensionReport::warnings).sum();
  }
}
