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
    addDuplicateFindings(loaded, reports, "preview_image", "manifest.preview-image-duplicate",
        (value, others) -> "preview_image '" + value + "' is also used by " + others);
    // Two extensions with one name would overwrite each other's entry in the registry.
    addDuplicateFindings(loaded, reports, "name", "manifest.name-duplicate",
        (value, others) -> "name '" + value + "' is also the name of " + others + "; names must be unique");
    reports.addAll(rejected);
    reports.sort(Comparator.comparing(ExtensionReport::extension));
    return new RepositoryReport(reports);
  }

  /**
   * A kamiwaza.json field whose value no two extensions may share (the name, the preview image): each extension
   * using a shared value is told which others do.
   */
  private static void addDuplicateFindings(List<LoadedExtension> loaded, List<ExtensionReport> reports, String field,
                                           String rule, java.util.function.BiFunction<String, String, String> message) {
    Map<String, List<String>> users = new HashMap<>();
    for (LoadedExtension e : loaded) {
      e.manifest().map(m -> m.get(field)).filter(JsonNode::isTextual)
          .ifPresent(p -> users.computeIfAbsent(p.asText(), k -> new ArrayList<>()).add(e.ref().id()));
    }
    for (int i = 0; i < reports.size(); i++) {
      ExtensionReport report = reports.get(i);
      List<Finding> extra = new ArrayList<>();
      users.forEach((value, ids) -> {
        if (ids.size() > 1 && ids.contains(report.extension())) {
          List<String> others = ids.stream().filter(id -> !id.equals(report.extension())).sorted().toList();
          extra.add(Finding.error(rule, report.extension(), ManifestRules.FILE,
              message.apply(value, String.join(", ", others))).at(Finding.pointer(field)));
        }
      });
      if (!extra.isEmpty()) {
        List<Finding> all = new ArrayList<>(report.findings());
        all.addAll(FindingLocations.fill(extra, loaded.get(i)::text));
        reports.set(i, new ExtensionReport(report.extension(), all));
      }
    }
  }
}
