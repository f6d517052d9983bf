package io.garden.validate;

import io.garden.common.model.AtomicFiles;
import io.garden.common.model.Finding;
import io.garden.common.model.ImageNaming;
import io.garden.validate.compose.ComposeRules;
import io.garden.validate.compose.ComposeYaml;

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
    selection.rejected().forEach(r -> results.add(new SyncResult(r.extension(), SyncOutcome.FAILED, r.findings())));
    results.sort(Comparator.comparing(SyncResult::extension));
    return results;
  }

  public static SyncResult sync(LoadedExtension e, boolean check) {
    String id = e.ref().id();
    if (!e.hasComposeFile()) {
      return new SyncResult(id, SyncOutcome.SKIPPED, List.of());
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
      return new SyncResult(id, SyncOutcome.FAILED, why);
    }
    return e.isManual() ? syncManual(e, version.get(), check) : syncGenerated(e, check);
  }

  private static SyncResult syncGenerated(LoadedExtension e, boolean check) {
    String id = e.ref().id();
    Map<String, Object> expected = e.expectedAppgarden().orElseThrow();
    String text = ComposeYaml.render(expected);
    boolean sameText = e.appgardenText().map(text::equals).orElse(false);
    // --check compares parsed YAML, not text: formatting or comments alone are not staleness.
    boolean sameContent = sameText || e.appgarden().map(expected::equals).orElse(false);
    if (check) {
      return sameContent ? upToDate(id) : stale(id);
    }
    if (sameText) {
      return upToDate(id);
    }
    AtomicFiles.write(e.ref().file(ComposeRules.FILE), text);
    return new SyncResult(id, SyncOutcome.WRITTEN, List.of());
  }

  private static SyncResult syncManual(LoadedExtension e, String version, boolean check) {
    String id = e.ref().id();
    String current = e.appgardenText().orElseThrow();
    String retagged = ComposeYaml.resyncManualTags(current, ImageNaming.tagFor(version));
    if (retagged.equals(current)) {
      return upToDate(id);
    }
    if (check) {
      return stale(id);
    }
    AtomicFiles.write(e.ref().file(ComposeRules.FILE), retagged);
    return new SyncResult(id, SyncOutcome.WRITTEN, List.of());
  }

  private static SyncResult upToDate(String id) {
    return new SyncResult(id, SyncOutcome.UP_TO_DATE, List.of());
  }

  private static SyncResult stale(String id) {
    return new SyncResult(id, SyncOutcome.STALE, List.of(Finding.error("compose.stale", id, ComposeRules.FILE,
        "docker-compose.appgarden.yml is out of date (run: garden sync-compose)")));
  }
}
