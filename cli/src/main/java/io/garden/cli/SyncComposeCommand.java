package io.garden.cli;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.SyncFinished;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.ComposeSyncer;
import io.garden.extension.SyncResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code garden sync-compose [--check] [TYPE NAME]}. */
@Command(name = "sync-compose", mixinStandardHelpOptions = true,
    description = {
        "Generate docker-compose.appgarden.yml from docker-compose.yml for every extension, or for one.",
        "",
        "Removes build sections, host ports, bind mounts, container names and networks; pins own images to",
        "the version in kamiwaza.json; adds resource limits and the host-gateway extra host. A file whose",
        "first line is `# garden: manual` is never overwritten, only its kamiwazaai image tags are updated."})
final class SyncComposeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption repo;

  @Mixin
  TargetArgs target;

  @Option(names = "--check", description = "Write nothing; exit 1 when any appgarden file is missing or stale.")
  boolean check;

  @Mixin
  RemoteOption remote;

  @Override
  public Integer call() {
    if (remote.active()) {
      var out = spec.commandLine().getOut();
      return remote.run(repo.root(), List.of(check ? StepName.CHECK : StepName.SYNC_COMPOSE),
          RemoteOption.targets(target, repo.root()), "dev", PipelineOptions.defaults(), payload -> {
            if (payload instanceof SyncFinished finished) {
              Reports.printSync(Reports.syncResults(finished), check, out);
            }
          });
    }
    List<SyncResult> results = ComposeSyncer.run(target.select(new ExtensionDiscovery(repo.root())), check);
    var out = spec.commandLine().getOut();
    Reports.printSync(results, check, out);
    out.flush();
    return results.stream().anyMatch(SyncResult::failsCheck) ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
