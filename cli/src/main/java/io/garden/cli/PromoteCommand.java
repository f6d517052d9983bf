package io.garden.cli;

import io.garden.common.images.ImageRegistryApi;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import io.garden.extension.LoadedExtension;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.registry.RegistryOperations;
import io.garden.registry.publish.PublishOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code garden promote TYPE NAME --from stage --to prod}: what was tested on one stage, published on the next. */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Publish on a later stage exactly what an earlier stage tested: no rebuild.", "",
        "Takes the extension's entry published on --from, tags its own images for --to on the same",
        "digests in the image registry (the bytes never move), and publishes the entry on --to by the",
        "usual version rules, under the lock. Exit 1 when the target stage refuses it."})
final class PromoteCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Parameters(index = "0", paramLabel = "TYPE", description = "app, service or tool.")
  String type;

  @Parameters(index = "1", paramLabel = "NAME", description = "The extension (its folder, or its published name).")
  String name;

  @Option(names = "--from", paramLabel = "dev|stage", defaultValue = "stage",
      description = "The stage it was tested on (default: stage).")
  String from;

  @Option(names = "--to", paramLabel = "stage|prod", defaultValue = "prod",
      description = "The stage to publish it on (default: prod).")
  String to;

  @Option(names = "--version", paramLabel = "VERSION",
      description = "Which published version (default: the newest on --from).")
  String version;

  @Option(names = "--dry-run", description = "Print the image tags and the decisions; change nothing.")
  boolean dryRun;

  @Mixin
  RepoVersionOption layout;

  @Mixin
  LockWaitOption lockWait;

  @Mixin
  RemoteOption remote;

  @Override
  public Integer call() {
    Stage fromStage = Stage.parse(from);
    Stage toStage = Stage.parse(to);
    ExtensionType.parse(type);
    Path root = repo.root();
    PrintWriter out = parent.spec.commandLine().getOut();
    String published = publishedName(root);
    if (remote.active()) {
      // The gateway's registry worker tags and publishes, after the policy (promote:STAGE) allowed it.
      RegistryPrinter tables = new RegistryPrinter(out);
      return remote.runToStdout(root, List.of(StepName.PROMOTE), Targets.all(), toStage.id(),
          PipelineOptions.promote(dryRun, published, fromStage.id(), version), payload -> {
            if (payload instanceof PublishPlanned) {
              tables.on(payload);
            }
          });
    }
    RegistryFormat format = layout.format();
    return RegistryCommands.withOperations(parent, root, out, ops -> {
      out.println("▶ promoting " + published + " from " + fromStage.id() + " to " + toStage.id()
          + " (no rebuild: the digests tested on " + fromStage.id() + ")");
      RegistryOperations.Promoted promoted = ops.promote(published, Optional.ofNullable(version),
          fromStage, toStage, format, dryRun, lockWait.lockWait(), ImageRegistryApi.shared(), move -> {
            out.println((dryRun ? "   would tag " : "🏷️  tagged ") + move.target());
            out.flush();
          });
      PublishOutcome outcome = promoted.outcome();
      return outcome.plans().values().stream().anyMatch(p -> p.failed()) ? ExitCodes.FINDINGS : ExitCodes.OK;
    });
  }

  /** The kamiwaza.json name when the repository has the extension; else NAME as it is published. */
  private String publishedName(Path root) {
    try {
      return LoadedExtension.load(new ExtensionDiscovery(root).resolve(ExtensionType.parse(type), name)).manifest()
          .map(m -> m.path("name").asText(name)).orElse(name);
    } catch (RuntimeException notHere) {
      return name;
    }
  }
}
