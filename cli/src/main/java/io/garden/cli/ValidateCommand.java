package io.garden.cli;

import io.garden.common.model.ExtensionDiscovery;
import io.garden.validate.RepositoryReport;
import io.garden.validate.RepositoryValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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

  @Override
  public Integer call() {
    if (!format.equals("human") && !format.equals("json")) {
      throw new IllegalArgumentException("Error: Invalid format '" + format + "'. Must be: human or json");
    }
    RepositoryReport report = RepositoryValidator.validate(target.select(new ExtensionDiscovery(repo.root())));
    var out = spec.commandLine().getOut();
    if (format.equals("json")) {
      Reports.printJson(Reports.validationJson(report), out);
    } else {
      Reports.printValidation(report, out);
    }
    out.flush();
    return report.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }
}
