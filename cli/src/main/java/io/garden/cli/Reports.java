package io.garden.cli;

import io.garden.common.event.EventCodec;
import io.garden.common.event.SyncFinished;
import io.garden.common.event.ValidateFinished;
import io.garden.common.model.Finding;
import io.garden.extension.ExtensionReport;
import io.garden.extension.RepositoryReport;
import io.garden.extension.SyncOutcome;
import io.garden.extension.SyncResult;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints reports the way the old toolchain did ({@code ✅ apps/x}, {@code ❌ apps/x:} + {@code    - message}). */
final class Reports {

  private Reports() {
  }

  static void printValidation(RepositoryReport report, PrintWriter out) {
    for (ExtensionReport r : report.extensions()) {
      out.println(r.passed() ? "✅ " + r.extension() : "❌ " + r.extension() + ":");
      printFindings(r.findings(), out);
    }
    out.println();
    out.printf("%d extension(s) validated: %d passed, %d failed (%d error(s), %d warning(s))%n",
        report.extensions().size(), report.extensions().size() - report.failedCount(), report.failedCount(),
        report.errorCount(), report.warningCount());
  }

  static void printFindings(List<Finding> findings, PrintWriter out) {
    findings.stream().filter(Finding::isError).forEach(f -> out.println("   - " + f.text() + where(f)));
    findings.stream().filter(f -> !f.isError()).forEach(f -> out.println("   - warning: " + f.text() + where(f)));
  }

  /**
   * Which file, and the line and column when known ({@code (kamiwaza.json:3:5)}), after the old toolchain's
   * message, so greps for the message keep matching and a reader can jump to the place.
   */
  private static String where(Finding f) {
    if (f.file() == null || f.file().isBlank()) {
      return "";
    }
    if (f.line() <= 0) {
      return " (" + f.file() + ")";
    }
    return " (" + f.file() + ":" + f.line() + (f.column() > 0 ? ":" + f.column() : "") + ")";
  }

  static void printJson(Object value, PrintWriter out) {
    try {
      out.println(EventCodec.shared().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static Map<String, Object> validationJson(RepositoryReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("passed", report.passed());
    // In this order every time: Map.of iterates in an order that changes from one JVM to the next.
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("extensions", report.extensions().size());
    summary.put("failed", report.failedCount());
    summary.put("errors", report.errorCount());
    summary.put("warnings", report.warningCount());
    json.put("summary", summary);
    json.put("extensions", report.extensions().stream().map(r -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("extension", r.extension());
      e.put("passed", r.passed());
      e.put("findings", r.findings());
      return e;
    }).toList());
    return json;
  }

  /** A validation report as the validate worker sent it in {@code validate.finished}. */
  static RepositoryReport repositoryReport(ValidateFinished finished) {
    return new RepositoryReport(finished.results().stream()
        .map(r -> new ExtensionReport(r.extension(), r.findings())).toList());
  }

  /** sync-compose results as the validate worker sent them in {@code sync.finished}. */
  static List<SyncResult> syncResults(SyncFinished finished) {
    return finished.results().stream()
        .map(r -> new SyncResult(r.extension(), SyncOutcome.valueOf(r.outcome()), r.findings())).toList();
  }

  static void printSync(List<SyncResult> results, boolean check, PrintWriter out) {
    for (SyncResult r : results) {
      switch (r.outcome()) {
        case UP_TO_DATE -> out.println("✅ " + r.extension() + ": docker-compose.appgarden.yml is up to date");
        case WRITTEN -> out.println("📝 " + r.extension() + ": wrote docker-compose.appgarden.yml");
        case SKIPPED -> out.println("⏭️  " + r.extension() + ": no docker-compose.yml, nothing to sync");
        case STALE, FAILED -> {
          out.println("❌ " + r.extension() + ":");
          printFindings(r.findings(), out);
        }
      }
    }
    long failing = results.stream().filter(SyncResult::failsCheck).count();
    out.println();
    out.printf("%d extension(s) %s: %d need attention%n", results.size(), check ? "checked" : "synced",
        failing);
  }
}
