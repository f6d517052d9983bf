package io.garden.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.Finding;
import io.garden.validate.manifest.ManifestRules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** validate over many extensions: each in parallel, then the rules that span extensions (shared preview images). */
public final class RepositoryValidator {

  private RepositoryValidator() {
  }

  public static RepositoryReport validate(Selection selection) {
    return validate(selection.extensions().parallelStream().map(LoadedExtension::load).toList(),
        selection.rejected());
  }

  /** Validates extensions already loaded (e.g. straight after a sync), plus the rejected ones as they are. */
  public static RepositoryReport validate(List<LoadedExtension> loaded, List<ExtensionReport> rejected) {
    List<ExtensionReport> reports = new ArrayList<>(
        loaded.parallelStream().map(ExtensionValidator::validate).toList());
    addDuplicatePreviewFindings(loaded, reports);
    reports.addAll(rejected);
    reports.sort(Comparator.comparing(ExtensionReport::extension));
    return new RepositoryReport(reports);
  }

  /** The same preview image may not be used by two extensions: each one using it is told which others do. */
  private static void addDuplicatePreviewFindings(List<LoadedExtension> loaded, List<ExtensionReport> reports) {
    Map<String, List<String>> users = new HashMap<>();
    for (LoadedExtension e : loaded) {
      e.manifest().map(m -> m.get("preview_image")).filter(JsonNode::isTextual)
          .ifPresent(p -> users.computeIfAbsent(p.asText(), k -> new ArrayList<>()).add(e.ref().id()));
    }
    for (int i = 0; i < reports.size(); i++) {
      ExtensionReport report = reports.get(i);
      List<Finding> extra = new ArrayList<>();
      users.forEach((preview, ids) -> {
        if (ids.size() > 1 && ids.contains(report.extension())) {
          List<String> others = ids.stream().filter(id -> !id.equals(report.extension())).sorted().toList();
          extra.add(Finding.error("manifest.preview-image-duplicate", report.extension(), ManifestRules.FILE,
              "preview_image '" + preview + "' is also used by " + String.join(", ", others)));
        }
      });
      if (!extra.isEmpty()) {
        List<Finding> all = new ArrayList<>(report.findings());
        all.addAll(extra);
        reports.set(i, new ExtensionReport(report.extension(), all));
      }
    }
  }
}
