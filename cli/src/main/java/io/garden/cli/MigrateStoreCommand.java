package io.garden.cli;

import io.garden.common.config.StoreConfig;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.common.store.StageLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code garden migrate-store --to STAGE}: a shared store of the old layout becomes one stage's place in it. */
@Command(name = "migrate-store", mixinStandardHelpOptions = true,
    description = {"Move a registry kept at the top of a shared store into one stage's own place.",
        "",
        "Each stage has its own place in a shared store (GARDEN_STORE, or the default .garden/store): dev/,",
        "stage/ and prod/. A store written before kept one registry at its top, which every stage read and",
        "wrote; commands refuse it until it is moved. Move it to the stage it was published for. Each object",
        "is written to its new place before it is removed from the old one: if the move is interrupted, run it",
        "again."})
final class MigrateStoreCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Option(names = "--to", required = true, paramLabel = "dev|stage|prod",
      description = "The stage the registry at the top of the store belongs to.")
  String to;

  @Override
  public Integer call() {
    Stage stage = Stage.parse(to);
    StoreConfig config = parent.config().store(stage);
    PrintWriter out = parent.spec.commandLine().getOut();
    if (config.place() == null) {
      out.println("Nothing to move: stage " + stage.id() + " has a store of its own (GARDEN_STORE_"
          + stage.name() + "), not a place in a shared one.");
      out.flush();
      return ExitCodes.OK;
    }
    try (ObjectStore shared = ObjectStores.openAt(config.shared(), repo.folder())) {
      StageLayout.migrate(shared, stage, line -> {
        out.println(line);
        out.flush();
      });
    }
    return ExitCodes.OK;
  }
}
