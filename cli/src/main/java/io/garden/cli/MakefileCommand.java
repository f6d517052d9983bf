package io.garden.cli;

import io.garden.common.model.AtomicFiles;
import io.garden.extension.model.ExtensionRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code garden makefile [--write [--force]]}. */
@Command(name = "makefile", mixinStandardHelpOptions = true,
    description = {"Print (or write) a Makefile that keeps the old make targets working on top of garden.",
        "",
        "The old targets and variables (make validate TYPE=tool NAME=x, make publish-registry STAGE=prod",
        "DRY_RUN=1, ...) run the matching garden command, with the old guard messages word for word.",
        "It calls garden through GARDEN ?= garden. `make help` lists the targets.",
        "--write puts it in the extensions repository; it overwrites only a Makefile it wrote itself",
        "(the first line says so) unless --force."})
final class MakefileCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption repo;

  @Option(names = "--write", description = "Write it to the repository's Makefile instead of printing it.")
  boolean write;

  @Option(names = "--force", description = "With --write: replace a Makefile that garden did not write.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String makefile = LegacyMakefile.render(Version.number());
    if (!write) {
      if (force) {
        throw new IllegalArgumentException("Error: --force only goes with --write");
      }
      out.print(makefile);
      out.flush();
      return ExitCodes.OK;
    }
    Path root = ExtensionRepository.require(repo.folder());
    Path target = root.resolve("Makefile");
    if (Files.exists(target) && !force && !writtenByUs(target)) {
      throw new IllegalArgumentException("Error: " + target + " was not written by garden; keeping it. Compare"
          + " with `garden makefile`, then use `garden makefile --write --force` to replace it");
    }
    AtomicFiles.write(target, makefile);
    out.println("📝 wrote " + target + " (make help lists the targets)");
    out.flush();
    return ExitCodes.OK;
  }

  private static boolean writtenByUs(Path makefile) {
    byte[] marker = LegacyMakefile.MARKER.getBytes(StandardCharsets.UTF_8);
    try (var in = Files.newInputStream(makefile)) {
      return Arrays.equals(in.readNBytes(marker.length), marker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + makefile + ": " + e.getMessage(), e);
    }
  }
}
