package io.garden.common.release;

import io.garden.common.event.PlannedDecision;

import java.time.Instant;
import java.util.List;

/**
 * One change to a stage's published index, as the audit stream tells it: a publish, promote, unpublish, restore
 * (or a forced or direct one) that ran for real, what it changed, who asked for it, and the backup of the index it
 * replaced. Dry runs are not releases.
 *
 * @param id        the pipeline that made it (what {@code garden rollback --to} names)
 * @param action    publish, promote, unpublish, restore, force or direct
 * @param requester the principal that asked for it
 * @param changes   the rows of its decision table that change the index (inserted, replaced, removed)
 * @param written   whether the index was written (false: nothing to change, or it failed)
 * @param backup    the backup of the index as it was just before, a folder under the store; null when none
 * @param failure   why it failed; null when it did not
 */
public record Release(String id, Instant time, String stage, String action, String requester,
                      List<PlannedDecision> changes, boolean written, String backup, String failure,
                      List<String> approvers, String emergency, String reason) {

  public Release {
    changes = List.copyOf(changes);
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
  }

  public Release(String id, Instant time, String stage, String action, String requester,
                 List<PlannedDecision> changes, boolean written, String backup, String failure) {
    this(id, time, stage, action, requester, changes, written, backup, failure, List.of(), null, null);
  }

  /** As {@code garden history --format json} and {@code GET /api/v1/releases} show it. */
  public java.util.Map<String, Object> asMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", id);
    m.put("time", time.toString());
    m.put("stage", stage);
    m.put("action", action);
    m.put("requester", requester);
    m.put("written", written);
    m.put("changes", changes);
    m.put("backup", backupStamp());
    m.put("failure", failure);
    m.put("approvers", approvers);
    m.put("emergency", emergency);
    m.put("reason", reason);
    return m;
  }

  /** Whether it changed {@code extension} (its name as published). */
  public boolean touches(String extension) {
    return changes.stream().anyMatch(change -> extension.equals(change.name()));
  }

  /** The stamp of its backup, as {@code restore-registry --backup} takes it; null without one. */
  public String backupStamp() {
    return backup == null ? null : stampOf(backup);
  }

  /** The stamp of a backup as publish.finished names it ({@code backups/dev/STAMP/}; a bare stamp stays as it is). */
  public static String stampOf(String backup) {
    String trimmed = backup.endsWith("/") ? backup.substring(0, backup.length() - 1) : backup;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
