package io.garden.cli;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.SyncFinished;
import io.garden.common.event.ValidateFinished;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.RepositoryReport;
import io.garden.extension.RepositoryValidator;
import io.garden.extension.Selection;
import io.garden.extension.SyncOutcome;
import io.garden.extension.SyncResult;
import io.garden.extension.SyncThenValidate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code garden validate [TYPE NAME]}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {
        "Validate kamiwaza.json and docker-compose.appgarden.yml of every extension, or of one.",
        "",
        "Errors fail (exit 1); warnings are reported only. A stale appgarden file is a warning here",
        "(run sync-compose) and a failure in `sync-compose --check`."})
final class ValidateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption repo;

  @Mixin
  TargetArgs target;

  @Option(names = "--format", paramLabel = "human|json", defaultValue = "human",
      description = "Output format: human (default) or json (findings with severity, rule, file, service).")
  String format;

  @Option(names = "--sync", description = "Run sync-compose first (as `make build` did before `make validate`),"
      + " reading each extension once.")
  boolean sync;

  @Mixin
  RemoteOption remote;

  @Override
  public Integer call() {
    if (!format.equals("human") && !format.equals("json")) {
      throw new IllegalArgumentException("Error: Invalid format '" + format + "'. Must be: human or json");
    }
    if (remote.active()) {
      return callRemote();
    }
    Selection selection = target.select(new ExtensionDiscovery(repo.root()));
    var out = spec.commandLine().getOut();
    RepositoryReport report;
    boolean syncFailed = false;
    if (sync) {
      SyncThenValidate.Outcome outcome = SyncThenValidate.run(selection, false);
      report = outcome.report();
      List<SyncResult> notable = outcome.sync().stream()
          .filter(r -> r.outcome() == SyncOutcome.WRITTEN || r.failsCheck()).toList();
      if (format.equals("human")) {
        Reports.printSync(notable, false, out);
        out.println();
      }
      syncFailed = notable.stream().anyMatch(SyncResult::failsCheck);
    } else {
      report = RepositoryValidator.validate(selection);
    }
    print(report, out);
    out.flush();
    return report.passed() && !syncFailed ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private void print(RepositoryReport report, PrintWriter out) {
    if (format.equals("json")) {
      Reports.printJson(Reports.validationJson(report), out);
    } else {
      Reports.printValidation(report, out);
    }
  }

  /** The same steps on a gateway; the report is rebuilt from the workers' result events. */
  private int callRemote() {
    var out = spec.commandLine().getOut();
    List<StepName> steps = sync ? List.of(StepName.SYNC_COMPOSE, StepName.VALIDATE) : List.of(StepName.VALIDATE);
    return remote.run(repo.root(), steps, RemoteOption.targets(target, repo.root()), "dev", PipelineOptions.defaults(),
        payload -> {
          if (payload instanceof SyncFinished finished && format.equals("human")) {
            List<SyncResult> notable = Reports.syncResults(finished).stream()
                .filter(r -> r.outcome() == SyncOutcome.WRITTEN || r.failsCheck()).toList();
            Reports.printSync(notable, false, out);
            out.println();
          } else if (payload instanceof ValidateFinished finished) {
            print(Reports.repositoryReport(finished), out);
          }
        });
  }
}
