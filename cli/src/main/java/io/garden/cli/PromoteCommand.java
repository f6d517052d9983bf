package io.garden.cli;

import io.garden.common.images.ImageRegistryApi;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import io.garden.extension.LoadedExtension;
import io.garden.registry.promote.Promotion;
import io.garden.registry.publish.PublishOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
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

  @Override
  public Integer call() {
    RemoteMode.refuseLocalRun(parent, "promote", "run it where both stages' stores and the image registry are"
        + " reachable, with GARDEN_URL unset");
    Stage fromStage = Stage.parse(from);
    Stage toStage = Stage.parse(to);
    ExtensionType.parse(type);
    Path root = repo.root();
    PrintWriter out = parent.spec.commandLine().getOut();
    ImageRegistryApi registry = new ImageRegistryApi();
    RegistryFormat format = layout.format();
    return RegistryCommands.withOperations(parent, root, out, ops -> {
      Promotion promotion = ops.promotion(publishedName(root), Optional.ofNullable(version), fromStage, toStage,
          format);
      out.println("▶ promoting " + promotion.entry().name() + " " + promotion.entry().version() + " from "
          + fromStage.id() + " to " + toStage.id() + " (no rebuild: the digests tested on " + fromStage.id() + ")");
      // The tags exist before an index names them: a published entry never points at a missing image.
      for (Promotion.ImageMove move : promotion.moves()) {
        if (!dryRun) {
          registry.tag(move.source(), move.target().tag());
        }
        out.println((dryRun ? "   would tag " : "🏷️  tagged ") + move.target());
        out.flush();
      }
      PublishOutcome outcome = ops.publish(promotion, fromStage, toStage, format, dryRun,
          lockWait.lockWait());
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
