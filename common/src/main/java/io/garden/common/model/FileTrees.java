package io.garden.common.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** Whole folders: deleted deepest first, copied top down (a link inside is removed or skipped, never followed). */
public final class FileTrees {

  private FileTrees() {
  }

  /** Deletes {@code root} and everything under it; nothing to do when it does not exist. */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Copies the files and folders under {@code from} into {@code to}, leaving out the top-level entries named in
   * {@code leftOut}; links are not followed (a copy never takes in what a link points at).
   *
   * @return {@code to}
   */
  public static Path copy(Path from, Path to, Set<String> leftOut) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path relative = from.relativize(p);
        if (relative.getNameCount() > 0 && leftOut.contains(relative.getName(0).toString())) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
