package io.garden.common;

import io.garden.common.model.FileTrees;

import java.io.IOException;
import java.nio.file.Path;

/** Test helper: the sample extensions repository, and private copies of it for tests that write. */
public final class ExamplesRepo {

  private ExamplesRepo() {
  }

  /** examples/extensions of this checkout (Failsafe passes the root as garden.repo.root). */
  public static Path path() {
    return root().resolve("examples/extensions");
  }

  /** The root of this checkout. */
  public static Path root() {
    return Path.of(System.getProperty("garden.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** Copies it into {@code into} (never a local store or build output a developer may have left there). */
  public static Path copyTo(Path into) throws IOException {
    return FileTrees.copy(path(), into, java.util.Set.of(".garden", "build", "dist", ".git"));
  }
}
