package io.garden.validate.worker;

import io.garden.common.event.EventPayload;
import io.garden.common.event.ExtensionFindings;
import io.garden.common.event.FailureKind;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.SyncFinished;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateFinished;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.ValidateStep;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.ComposeSyncer;
import io.garden.extension.RepositoryReport;
import io.garden.extension.RepositoryValidator;
import io.garden.extension.Selection;
import io.garden.extension.SyncOutcome;
import io.garden.extension.SyncResult;

import java.util.ArrayList;
import java.util.List;

/** What a validate request does, as plain blocking Java: the verticle runs it on a worker thread. */
public final class ValidateSteps {

  private ValidateSteps() {
  }

  /**
   * @throws IllegalArgumentException for a request that can never succeed (a missing repository);
   *                                  the worker dead-letters it
   */
  public static List<EventPayload> run(ValidateRequested request) {
    return run(request, SourceRef.localRoot(request.source()));
  }

  /** @param root the request's source as a folder (a git source already checked out) */
  public static List<EventPayload> run(ValidateRequested request, java.nio.file.Path root) {
    Selection selection = select(request, root);
    List<EventPayload> events = new ArrayList<>();
    for (ValidateStep step : request.steps()) {
      long started = System.nanoTime();
      switch (step) {
        case VALIDATE -> validate(selection, events, started);
        case SYNC_COMPOSE, CHECK -> sync(selection, step, events, started);
      }
    }
    return events;
  }

  private static Selection select(ValidateRequested request, java.nio.file.Path root) {
    ExtensionDiscovery discovery = new ExtensionDiscovery(root);
    Targets targets = request.targets();
    return switch (targets.mode()) {
      case ALL, CHANGED -> Selection.all(discovery);
      case LIST -> Selection.of(discovery, targets.ids());
    };
  }

  private static void validate(Selection selection, List<EventPayload> events, long started) {
    RepositoryReport report = RepositoryValidator.validate(selection);
    List<ExtensionFindings> results = report.extensions().stream()
        .map(r -> new ExtensionFindings(r.extension(), r.passed(), null, r.findings())).toList();
    events.add(new ValidateFinished(report.passed(), report.extensions().size(), report.errorCount(),
        report.warningCount(), results));
    String summary = report.extensions().size() + " extension(s): " + report.failedCount() + " failed, "
        + report.errorCount() + " error(s), " + report.warningCount() + " warning(s)";
    events.add(report.passed()
        ? new StepFinished(StepName.VALIDATE, "*", millisSince(started), summary)
        : new StepFailed(StepName.VALIDATE, "*", summary, FailureKind.FINDINGS));
  }

  private static void sync(Selection selection, ValidateStep step, List<EventPayload> events, long started) {
    boolean check = step == ValidateStep.CHECK;
    List<SyncResult> results = ComposeSyncer.run(selection, check);
    boolean passed = results.stream().noneMatch(SyncResult::failsCheck);
    events.add(new SyncFinished(check, passed, results.stream()
        .map(r -> new ExtensionFindings(r.extension(), !r.failsCheck(), r.outcome().name(), r.findings()))
        .toList()));
    long written = results.stream().filter(r -> r.outcome() == SyncOutcome.WRITTEN).count();
    long failing = results.stream().filter(SyncResult::failsCheck).count();
    String summary = results.size() + " extension(s): " + written + " written, " + failing + " need attention";
    events.add(passed
        ? new StepFinished(step.stepName(), "*", millisSince(started), summary)
        : new StepFailed(step.stepName(), "*", summary, FailureKind.FINDINGS));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
