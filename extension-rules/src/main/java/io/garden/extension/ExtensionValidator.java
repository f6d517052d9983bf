package io.garden.extension;

import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Finding;
import io.garden.extension.compose.BuildPlatforms;
import io.garden.extension.compose.ComposeRules;
import io.garden.extension.manifest.ManifestRules;

import java.util.ArrayList;
import java.util.List;

/** validate for one extension: metadata rules, compose rules on the appgarden file, and staleness (SPEC §4). */
public final class ExtensionValidator {

  private ExtensionValidator() {
  }

  public static ExtensionReport validate(LoadedExtension e) {
    String id = e.ref().id();
    List<Finding> findings = new ArrayList<>(e.problems());
    e.manifest().ifPresent(m -> findings.addAll(ManifestRules.check(e.ref(), m, e.hasComposeFile())));
    e.compose().ifPresent(compose -> findings.addAll(BuildPlatforms.check(compose, id)));
    boolean needsAppgarden = e.ref().type() != ExtensionType.TOOL || e.hasComposeFile();
    if (!e.hasAppgardenFile()) {
      if (needsAppgarden) {
        findings.add(Finding.error("compose.missing-appgarden", id, ComposeRules.FILE,
            "Missing docker-compose.appgarden.yml (required for App Garden)"));
      }
    } else {
      e.appgarden().ifPresent(compose -> findings.addAll(ComposeRules.check(compose, e.composeContext())));
      if (!e.isManual() && !e.syncedFromCurrentInputs()) {
        e.appgarden().ifPresent(actual -> e.expectedAppgarden().ifPresent(expected -> {
          if (!expected.equals(actual)) {
            findings.add(Finding.warning("compose.stale", id, ComposeRules.FILE,
                "docker-compose.appgarden.yml differs from what sync-compose would write (run sync-compose)"));
          }
        }));
      }
    }
    return new ExtensionReport(id, FindingLocations.fill(findings, e::positions));
  }
}
