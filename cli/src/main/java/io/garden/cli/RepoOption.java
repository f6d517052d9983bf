package io.garden.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --repo PATH}: the extensions repository; the current directory by default. */
public final class RepoOption {

  @Option(names = "--repo", paramLabel = "PATH",
      description = "The extensions repository (holding apps/, services/, tools/). Default: the current directory.")
  Path repo;

  public Path root() {
    Path root = (repo == null ? Path.of("") : repo).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("repository folder not found: " + root);
    }
    return root;
  }
}
