package io.garden.cli;

import io.garden.extension.model.ExtensionRepository;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --repo PATH}: the extensions repository; the current directory by default. */
public final class RepoOption {

  @Option(names = "--repo", paramLabel = "PATH", defaultValue = ".",
      description = "The extensions repository (holding apps/, services/, tools/). Default: the current directory.")
  Path repo;

  /** The extensions repository: a usage error when the folder is missing or holds no extension folders. */
  public Path root() {
    return ExtensionRepository.require(folder());
  }

  /** The folder, whatever it holds (garden new starts a repository in an empty one; doctor checks its stores). */
  public Path folder() {
    // "." by default, made the caller's folder by Main's path converter.
    Path root = repo.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("repository folder not found: " + root);
    }
    return root;
  }
}
