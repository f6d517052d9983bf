package io.garden.extension;

import io.garden.common.model.Finding;

import java.util.List;

/** sync-compose for one extension. */
public record SyncResult(String extension, SyncOutcome outcome, List<Finding> findings) {

  public SyncResult {
    findings = List.copyOf(findings);
  }

  /** True when --check should fail for it. */
  public boolean failsCheck() {
    return outcome == SyncOutcome.STALE || outcome == SyncOutcome.FAILED;
  }
}
