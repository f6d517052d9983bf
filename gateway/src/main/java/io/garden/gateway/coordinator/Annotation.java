package io.garden.gateway.coordinator;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.ExtensionFindings;
import io.garden.common.event.ServiceHealth;
import io.garden.common.event.TestFinished;
import io.garden.common.model.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a unit of work failed (or what it warned about), as a CI run view shows it beside the step: a validation
 * finding at its file, line and column, or the last lines of a failed build or test.
 *
 * @param extension the extension it is about
 * @param level     {@code error} or {@code warning}
 * @param file      the file, relative to the extension, or null
 * @param line      1-based, or 0 when unknown
 * @param column    1-based, or 0 when unknown
 * @param rule      the finding's stable rule id, or null (a build or test failure)
 * @param message   what is wrong, in words
 * @param log       the last lines of output, for a failed build or test (empty otherwise)
 */
@JsonPropertyOrder({"extension", "level", "file", "line", "column", "rule", "message", "log"})
public record Annotation(String extension, String level, String file, int line, int column, String rule,
                         String message, List<String> log) {

  public Annotation {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /** {@code file:line:col} as editors and CI logs print it (what is known of it). */
  public String location() {
    return Finding.location(extension, file, line, column);
  }

  static List<Annotation> of(List<ExtensionFindings> results) {
    List<Annotation> out = new ArrayList<>();
    for (ExtensionFindings result : results) {
      for (Finding f : result.findings()) {
        out.add(new Annotation(result.extension(), f.severity().name().toLowerCase(Locale.ROOT), f.file(), f.line(),
            f.column(), f.rule(), f.text(), List.of()));
      }
    }
    // Errors first: with a bound on how many are kept, the ones that failed the step are never the ones cut.
    out.sort((a, b) -> Boolean.compare(!a.level().equals("error"), !b.level().equals("error")));
    return out;
  }

  static List<Annotation> of(BuildFinished build) {
    if (build.passed()) {
      return List.of();
    }
    return List.of(new Annotation(build.extension(), "error", null, 0, 0, null,
        "build failed" + (build.failingStep() == null ? "" : " at " + build.failingStep()), build.logTail()));
  }

  static List<Annotation> of(TestFinished test) {
    if (test.passed()) {
      return List.of();
    }
    List<Annotation> out = new ArrayList<>();
    if (Boolean.FALSE.equals(test.suitePassed())) {
      out.add(new Annotation(test.extension(), "error", null, 0, 0, null, test.suiteDetail() == null
          ? "tests failed" + (test.suite() == null ? "" : " (" + test.suite() + ")") : test.suiteDetail(),
          test.suiteOutput()));
    }
    for (ServiceHealth service : test.services()) {
      if (!service.healthy()) {
        out.add(new Annotation(test.extension(), "error", null, 0, 0, null, "service " + service.service()
            + (test.platform() == null ? "" : " on " + test.platform()) + ": " + service.detail(), service.logs()));
      }
    }
    return out;
  }
}
