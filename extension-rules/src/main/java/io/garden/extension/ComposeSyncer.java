package io.garden.extension;

import io.garden.common.model.AtomicFiles;
import io.garden.common.model.Documents;
import io.garden.common.model.Finding;
import io.garden.common.model.ImageNaming;
import io.garden.extension.compose.ComposeRules;
import io.garden.extension.compose.ComposeYaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs sync-compose over extensions: writes the appgarden files, or with {@code check} only reports. */
public final class ComposeSyncer {

  private ComposeSyncer() {
  }

  public static List<SyncResult> run(Selection selection, boolean check) {
    List<SyncResult> results = new ArrayList<>(selection.extensions().parallelStream()
        .map(ref -> sync(LoadedExtension.load(ref), check)).toList());
    addRejected(selection, results);
    return results;
  }

  /** Requested extensions that could not be used are failed sync results; the list ends sorted by id. */
  static void addRejected(Selection selection, List<SyncResult> results) {
    selection.rejected().forEach(r -> results.add(new SyncResult(r.extension(), SyncOutcome.FAILED, r.findings())));
    results.sort(Comparator.comparing(SyncResult::extension));
  }

  public static SyncResult sync(LoadedExtension e, boolean check) {
    return syncKeepingState(e, check).result();
  }

  /** A sync result and the extension as it is on disk afterwards. */
  record Synced(SyncResult result, LoadedExtension after) {
  }

  static Synced syncKeepingState(LoadedExtension e, boolean check) {
    String id = e.ref().id();
    if (!e.hasComposeFile()) {
      return new Synced(new SyncResult(id, SyncOutcome.SKIPPED, List.of()), e);
    }
    if (e.syncedFromCurrentInputs()) {
      // Written by sync from these very inputs (which therefore parsed and had a version): nothing to parse again.
      return new Synced(upToDate(id), e);
    }
    // A broken generated appgarden file is about to be replaced, so it does not block; a manual one does.
    List<Finding> blocking = e.problems().stream()
        .filter(f -> !ComposeRules.FILE.equals(f.file()) || e.isManual()).toList();
    Optional<String> version = e.version();
    if (e.compose().isEmpty() || version.isEmpty()) {
      List<Finding> why = new ArrayList<>(blocking);
      if (version.isEmpty() && e.manifest().isPresent()) {
        why.add(Finding.error("sync.version", id, "kamiwaza.json",
            "Cannot sync: kamiwaza.json has no valid 'version' to tag images with"));
      }
      return new Synced(new SyncResult(id, SyncOutcome.FAILED, why), e);
    }
    return e.isManual() ? syncManual(e, version.get(), check) : syncGenerated(e, check);
  }

  private static Synced syncGenerated(LoadedExtension e, boolean check) {
    String id = e.ref().id();
    Map<String, Object> expected = e.expectedAppgarden().orElseThrow();
    // Compared as parsed YAML, not text: formatting or comments alone are not staleness (and need no rewrite).
    boolean same = e.appgarden().map(expected::equals).orElse(false);
    if (same) {
      return new Synced(upToDate(id), e);
    }
    String text = ComposeYaml.render(expected, e.syncInputsDigest().orElseThrow());
    // Encoded once: measured against the limit, then written as these very bytes.
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Optional<Finding> unwritable = beyondLimits(id, bytes.length);
    if (unwritable.isPresent()) {
      // Never write what validate would reject; --check says the same thing, so a check after a sync agrees.
      return new Synced(new SyncResult(id, SyncOutcome.FAILED, List.of(unwritable.get())), e);
    }
    if (check) {
      return new Synced(stale(id), e);
    }
    AtomicFiles.write(e.ref().file(ComposeRules.FILE), bytes);
    return new Synced(new SyncResult(id, SyncOutcome.WRITTEN, List.of()), e.withAppgarden(text, expected));
  }

  private static Synced syncManual(LoadedExtension e, String version, boolean check) {
    String id = e.ref().id();
    String current = e.appgardenText().orElseThrow();
    String retagged = ComposeYaml.resyncManualTags(current, ImageNaming.tagFor(version));
    if (retagged.equals(current)) {
      return new Synced(upToDate(id), e);
    }
    if (check) {
      return new Synced(stale(id), e);
    }
    AtomicFiles.write(e.ref().file(ComposeRules.FILE), retagged);
    return new Synced(new SyncResult(id, SyncOutcome.WRITTEN, List.of()), LoadedExtension.load(e.ref()));
  }

  /** The generated file measured by the limits every reader applies to extension files. */
  private static Optional<Finding> beyondLimits(String id, long bytes) {
    if (bytes <= Documents.MAX_FILE_BYTES) {
      return Optional.empty();
    }
    return Optional.of(Finding.error("sync.too-large", id, "docker-compose.yml", String.format(java.util.Locale.ROOT,
        "the generated docker-compose.appgarden.yml would be %.1f MB, above the %d MB limit for extension files;"
            + " make docker-compose.yml smaller", bytes / 1048576.0, Documents.MAX_FILE_BYTES >> 20)));
  }

  private static SyncResult upToDate(String id) {
    return new SyncResult(id, SyncOutcome.UP_TO_DATE, List.of());
  }

  private static SyncResult stale(String id) {
    return new SyncResult(id, SyncOutcome.STALE, List.of(Finding.error("compose.stale", id, ComposeRules.FILE,
        "docker-compose.appgarden.yml is out of date (run: garden sync-compose)")));
  }
}
