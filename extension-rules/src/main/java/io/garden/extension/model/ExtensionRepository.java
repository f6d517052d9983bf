package io.garden.extension.model;

import io.garden.common.model.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * What makes a folder an extensions repository: at least one of {@code apps/}, {@code services/}, {@code tools/}.
 * Without this check a mistyped --repo validates nothing, passes, and a direct publish from it empties a stage.
 */
public final class ExtensionRepository {

  private ExtensionRepository() {
  }

  /**
   * @return {@code root}
   * @throws NotARepositoryException when it holds none of the extension folders
   */
  public static Path require(Path root) {
    for (ExtensionType type : ExtensionType.values()) {
      if (Files.isDirectory(root.resolve(type.folder()), LinkOption.NOFOLLOW_LINKS)) {
        return root;
      }
    }
    throw new NotARepositoryException(root);
  }

  /** Top-level folders a copy leaves out: what runs leave behind (store, build output, packages) and git's own. */
  private static final Set<String> NOT_COPIED = Set.of(".garden", "build", "dist", ".git");

  /**
   * Copies a repository's extensions and files into {@code to} without what earlier runs left in it; links are
   * not followed (a copy never takes in what a link points at).
   *
   * @return {@code to}
   */
  public static Path copy(Path from, Path to) throws IOException {
    return FileTrees.copy(from, to, NOT_COPIED);
  }

  /** A folder that is not an extensions repository: a usage error, said in the user's words. */
  public static final class NotARepositoryException extends IllegalArgumentException {
    NotARepositoryException(Path root) {
      super("Error: not an extensions repository: " + root + " (it has none of apps/, services/, tools/; give"
          + " --repo PATH, or start one here with `garden new TYPE NAME`)");
    }
  }
}
