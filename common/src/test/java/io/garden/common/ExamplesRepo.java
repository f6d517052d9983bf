package io.garden.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helper: the sample extensions repository, and private copies of it for tests that write. */
public final class ExamplesRepo {

  private ExamplesRepo() {
  }

  /** examples/extensions of this checkout (Failsafe passes the root as garden.repo.root). */
  public static Path path() {
    return Path.of(System.getProperty("garden.repo.root", "..")).resolve("examples/extensions").toAbsolutePath()
        .normalize();
  }

  /** Copies it into {@code into} (never a local store or build output a developer may have left there). */
  public static Path copyTo(Path into) throws IOException {
    Path examples = path();
    try (Stream<Path> walk = Files.walk(examples)) {
      for (Path p : walk.toList()) {
        String relative = examples.relativize(p).toString();
        if (relative.startsWith(".garden") || relative.startsWith("build") || relative.startsWith("dist")) {
          continue;
        }
        Path target = into.resolve(relative);
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return into;
  }
}
