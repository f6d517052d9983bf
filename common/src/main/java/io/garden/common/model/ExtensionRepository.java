package io.garden.common.model;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

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

  /** A folder that is not an extensions repository: a usage error, said in the user's words. */
  public static final class NotARepositoryException extends IllegalArgumentException {
    NotARepositoryException(Path root) {
      super("Error: not an extensions repository: " + root + " (it has none of apps/, services/, tools/; give"
          + " --repo PATH, or start one here with `garden new TYPE NAME`)");
    }
  }
}
