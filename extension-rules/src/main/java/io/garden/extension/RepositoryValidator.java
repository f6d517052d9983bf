package io.garden.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.Finding;
import io.garden.extension.manifest.ManifestRules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * validate over many extensions: each in parallel, then the rules that span extensions (a name or preview image
 * two extensions share). Each extension is loaded, validated and let go in one step; only its report and the few
 * fields the cross-extension rules need are kept, so memory grows with the findings, not with the documents.
 */
public final class RepositoryValidator {

  /** What is kept of one validated extension. */
  private record Validated(ExtensionReport report, String name, String preview, String manifestText) {

    static Validated of(LoadedExtension e) {
      ExtensionReport report = ExtensionValidator.validate(e);
      e.releaseTree();
      return new Validated(report, field(e, "name"), field(e, "preview_image"),
          e.text(ManifestRules.FILE).orElse(null));
    }

    private static String field(LoadedExtension e, String name) {
      return e.manifest().map(m -> m.get(name)).filter(JsonNode::isTextual).map(JsonNode::asText).orElse(null);
    }

    Optional<io.garden.common.model.DocumentPositions> positions(String file) {
      return ManifestRules.FILE.equals(file) && manifestText != null
          ? Optional.of(io.garden.common.model.DocumentPositions.ofJson(manifestText)) : Optional.empty();
    }
  }

  private RepositoryValidator() {
  }

  public static RepositoryReport validate(Selection selection) {
    return combine(selection.extensions().parallelStream().map(ref -> Validated.of(LoadedExtension.load(ref)))
        .toList(), selection.rejected());
  }

  /** Validates extensions already loaded (e.g. straight after a sync), plus the rejected ones as they are. */
  public static RepositoryReport validate(List<LoadedExtension> loaded, List<ExtensionReport> rejected) {
    return combine(loaded.parallelStream().map(Validated::of).toList(), rejected);
  }

  private static RepositoryReport combine(List<Validated> validated, List<ExtensionReport> rejected) {
    List<ExtensionReport> reports = new ArrayList<>(validated.size() + rejected.size());
    Map<String, List<Finding>> extra = new HashMap<>();
    addDuplicateFindings(validated, Validated::preview, "preview_image", "manifest.preview-image-duplicate",
        (value, others) -> "preview_image '" + value + "' is also used by " + others, extra);
    // Two extensions with one name would overwrite each other's entry in the registry.
    addDuplicateFindings(validated, Validated::name, "name", "manifest.name-duplicate",
        (value, others) -> "name '" + value + "' is also the name of " + others + "; names must be unique", extra);
    for (Validated v : validated) {
      List<Finding> more = extra.get(v.report().extension());
      if (more == null) {
        reports.add(v.report());
      } else {
        List<Finding> all = new ArrayList<>(v.report().findings());
        all.addAll(FindingLocations.fill(more, v::positions));
        reports.add(new ExtensionReport(v.report().extension(), all));
      }
    }
    reports.addAll(rejected);
    reports.sort(Comparator.comparing(ExtensionReport::extension));
    return new RepositoryReport(reports);
  }

  /**
   * A kamiwaza.json field whose value no two extensions may share (the name, the preview image): each extension
   * using a shared value is told which others do. One pass to group, one over the groups that are shared.
   */
  private static void addDuplicateFindings(List<Validated> validated, java.util.function.Function<Validated, String> of,
                                           String field, String rule, BiFunction<String, String, String> message,
                                           Map<String, List<Finding>> extra) {
    Map<String, List<String>> users = new HashMap<>();
    for (Validated v : validated) {
      String value = of.apply(v);
      if (value != null) {
        users.computeIfAbsent(value, k -> new ArrayList<>()).add(v.report().extension());
      }
    }
    users.forEach((value, ids) -> {
      if (ids.size() < 2) {
        return;
      }
      for (String id : ids) {
        List<String> others = ids.stream().filter(other -> !other.equals(id)).sorted().toList();
        extra.computeIfAbsent(id, k -> new ArrayList<>()).add(Finding.error(rule, id, ManifestRules.FILE,
            message.apply(value, String.join(", ", others))).at(Finding.pointer(field)));
      }
    });
  }
}
