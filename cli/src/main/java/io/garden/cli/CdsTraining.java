package io.garden.cli;

import io.garden.common.config.GardenConfig;
import io.garden.extension.model.ExtensionRepository;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run behind the class-data-sharing archive: every short command once, in one JVM, on a copy of an
 * extensions repository, so the archive written when it exits ({@code -XX:ArchiveClassesAtExit}) holds the classes
 * each of them needs. Run at build time (the launcher after a build, {@code mvn -Pdist}), never by a user's first
 * command: then the first run is as quick as every later one.
 */
public final class CdsTraining {

  private static final List<List<String>> COMMANDS = List.of(
      List.of("--version"),
      List.of("--help"),
      List.of("validate"),
      List.of("validate", "--format", "json"),
      List.of("sync-compose", "--check"),
      List.of("sync-compose"),
      List.of("build-registry"),
      List.of("package-registry"),
      List.of("validate", "app", "team-notes"),
      List.of("bump", "tool", "tool-websearch"),
      List.of("new", "tool", "cds-training"),
      List.of("list-published"),
      List.of("publish-registry", "--dry-run"));

  private CdsTraining() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CdsTraining EXAMPLES_REPOSITORY");
      System.exit(2);
    }
    train(Path.of(args[0]), 1);
  }

  /** What the warm server runs at scale: the commands whose cost grows with the repository. */
  private static final List<List<String>> AT_SCALE = List.of(
      List.of("sync-compose"),
      List.of("validate"),
      List.of("sync-compose", "--check"),
      List.of("build-registry"),
      List.of("validate", "--format", "json"));

  /** Makes the repository to train on inside the private work folder. */
  private interface Repository {
    Path makeIn(Path work) throws IOException;
  }

  /**
   * Every short command {@code rounds} times on a private copy of {@code examples}, printing nothing: the archive's
   * training here, and the warm server's warm-up (its JIT compiles the hot paths before a user's command needs them).
   */
  public static void train(Path examples, int rounds) throws IOException {
    run(COMMANDS, rounds, work -> ExtensionRepository.copy(examples, work.resolve("extensions")));
  }

  /**
   * The commands whose cost grows with the repository, {@code rounds} times over {@code copies} renamed copies of
   * every example extension: the per-extension paths then run often enough for the optimising compiler to take
   * them, which a few rounds over three extensions do not do (the warm server's first large command ran slower
   * than a cold one without this).
   */
  public static void trainAtScale(Path examples, int copies, int rounds) throws IOException {
    run(AT_SCALE, rounds, work -> copies(examples, Files.createDirectories(work.resolve("extensions")), copies));
  }

  /** {@code commands} on the repository {@code repository} makes, in a work folder deleted afterwards. */
  private static void run(List<List<String>> commands, int rounds, Repository repository) throws IOException {
    Path work = Files.createTempDirectory("garden-training");
    try {
      Path repo = repository.makeIn(work);
      GardenConfig config = GardenConfig.fromEnv(Map.of()).withStoreDefault(work.resolve("store"));
      PrintWriter quiet = new PrintWriter(Writer.nullWriter());
      for (int round = 0; round < rounds; round++) {
        for (List<String> command : commands) {
          String[] line = command.size() == 1 && command.get(0).startsWith("-") ? command.toArray(String[]::new)
              : java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--repo",
                  repo.toString())).toArray(String[]::new);
          Main.run(config, Map.of(), quiet, quiet, line);
        }
      }
    } finally {
      io.garden.common.model.FileTrees.delete(work);
    }
  }

  private static Path copies(Path examples, Path repo, int copies) throws IOException {
    for (io.garden.extension.model.ExtensionType type : io.garden.extension.model.ExtensionType.values()) {
      Path folder = examples.resolve(type.folder());
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (var extensions = Files.list(folder)) {
        for (Path extension : extensions.filter(Files::isDirectory).toList()) {
          for (int i = 0; i < copies; i++) {
            renamedCopy(extension, repo.resolve(type.folder()), extension.getFileName() + "-w" + i);
          }
        }
      }
    }
    return repo;
  }

  private static void renamedCopy(Path extension, Path into, String name) throws IOException {
    Path copy = io.garden.common.model.FileTrees.copy(extension, into.resolve(name), java.util.Set.of());
    Path metadata = copy.resolve("kamiwaza.json");
    if (Files.isRegularFile(metadata)) {
      String original = extension.getFileName().toString();
      Files.writeString(metadata, Files.readString(metadata)
          .replace("\"name\": \"" + original + "\"", "\"name\": \"" + name + "\""));
    }
  }
}
