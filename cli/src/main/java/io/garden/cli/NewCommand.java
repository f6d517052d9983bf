package io.garden.cli;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionType;
import io.garden.extension.model.WorkingFiles;
import io.garden.extension.ComposeSyncer;
import io.garden.extension.RepositoryReport;
import io.garden.extension.RepositoryValidator;
import io.garden.extension.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code garden new TYPE NAME}. */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = {
        "Create a new extension that builds, tests and validates as it is.",
        "",
        "Create a working extension: kamiwaza.json, Dockerfile, docker-compose.yml (and its generated",
        "appgarden file), a small HTTP service with /health, a pytest test and a README.",
        "Service names start with service-, tool names with tool- or mcp-."})
final class NewCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption repo;

  @Parameters(index = "0", paramLabel = "TYPE", description = "app, service or tool.")
  String type;

  @Parameters(index = "1", paramLabel = "NAME", description = "The new extension's folder name.")
  String name;

  @Override
  public Integer call() {
    ExtensionType extensionType = ExtensionType.parse(type);
    Path root = repo.folder();
    Path dir = io.garden.extension.Scaffold.create(root, extensionType, name);
    ExtensionDiscovery discovery = new ExtensionDiscovery(root);
    Selection one = Selection.of(discovery, List.of(extensionType.folder() + "/" + name));
    ComposeSyncer.run(one, false);
    RepositoryReport report = RepositoryValidator.validate(one);
    var out = spec.commandLine().getOut();
    out.println("🌱 created " + root.relativize(dir));
    WorkingFiles.keepOutOfGit(root).ifPresent(added -> out.println("🙈 " + added));
    Reports.printValidation(report, out);
    out.flush();
    return report.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }
}
