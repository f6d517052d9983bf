package io.garden.extension;

import java.util.ArrayList;
import java.util.List;

/**
 * sync-compose then validate, reading and parsing each extension once: what {@code make build} followed by
 * {@code make validate} did, at a fraction of the I/O.
 */
public final class SyncThenValidate {

  public record Outcome(List<SyncResult> sync, RepositoryReport report) {
  }

  private SyncThenValidate() {
  }

  public static Outcome run(Selection selection, boolean check) {
    List<ComposeSyncer.Synced> synced = selection.extensions().parallelStream()
        .map(ref -> ComposeSyncer.syncKeepingState(LoadedExtension.load(ref), check)).toList();
    List<SyncResult> results = new ArrayList<>(synced.stream().map(ComposeSyncer.Synced::result).toList());
    ComposeSyncer.addRejected(selection, results);
    RepositoryReport report = RepositoryValidator.validate(
        synced.stream().map(ComposeSyncer.Synced::after).toList(), selection.rejected());
    return new Outcome(results, report);
  }
}
