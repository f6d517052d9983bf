package io.garden.extension.model;

import io.garden.common.model.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * garden's own working files in an extensions repository ({@code build/}, {@code dist/}, {@code .garden/}: registries,
 * tarballs, the default store and its locks) stay out of git. Once committed, every push changed "a shared file" and
 * rebuilt everything, and a store's lock could be committed and pushed. In a git repository, the first command that
 * writes them adds what {@code .gitignore} lacks, once, and says so.
 */
public final class WorkingFiles {

  /** What garden writes at the top of a repository. */
  public static final List<String> IGNORED = List.of("/build/", "/dist/", "/.garden/");
  private static final String HEADER = "# garden's working files (registries, tarballs, the default store and locks)";

  private WorkingFiles() {
  }

  /**
   * @return what was added to {@code .gitignore}, to tell the user; empty when nothing was (not a git repository, or
   *         every entry there already)
   */
  public static Optional<String> keepOutOfGit(Path repoRoot) {
    if (!Files.exists(repoRoot.resolve(".git"))) {
      return Optional.empty();
    }
    Path ignore = repoRoot.resolve(".gitignore");
    try {
      String current = Files.isRegularFile(ignore) ? Files.readString(ignore, StandardCharsets.UTF_8) : "";
      List<String> lines = current.lines().map(String::strip).toList();
      List<String> missing = new ArrayList<>();
      for (String entry : IGNORED) {
        String bare = entry.substring(1, entry.length() - 1);
        if (lines.stream().noneMatch(l -> l.equals(entry) || l.equals(bare) || l.equals(bare + "/")
            || l.equals("/" + bare))) {
          missing.add(entry);
        }
      }
      if (missing.isEmpty()) {
        return Optional.empty();
      }
      StringBuilder text = new StringBuilder(current);
      if (!current.isEmpty() && !current.endsWith("\n")) {
        text.append('\n');
      }
      text.append(HEADER).append('\n');
      missing.forEach(m -> text.append(m).append('\n'));
      AtomicFiles.write(ignore, text.toString());
      return Optional.of("added " + String.join(" ", missing) + " to " + ignore.getFileName()
          + " (garden's working files stay out of git)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + ignore + ": " + e.getMessage(), e);
    }
  }
}
