package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a pipeline reads its extensions from: a local folder ({@code path}, embedded mode) or a git repository
 * at an exact commit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRef(String path, String repo, String ref, String commit) {

  public static SourceRef local(String path) {
    return new SourceRef(path, null, null, null);
  }

  public static SourceRef git(String repo, String ref, String commit) {
    return new SourceRef(null, repo, ref, commit);
  }

  @JsonIgnore
  public boolean isLocal() {
    return path != null;
  }

  /** In one short phrase, as lists show it: the folder, or {@code repo@commit} (its first 12 digits). */
  public String describe() {
    if (isLocal()) {
      return path;
    }
    return repo + (commit == null ? (ref == null ? "" : "@" + ref) : "@" + commit.substring(0,
        Math.min(12, commit.length())));
  }

  /**
   * The repository folder of a local source, for the workers (which read local repositories only; git sources are
   * checked out before they reach them).
   *
   * @throws IllegalArgumentException for a missing source, a git source, or a folder that does not exist
   */
  public static Path localRoot(SourceRef source) {
    if (source == null || !source.isLocal()) {
      throw new IllegalArgumentException("this worker reads local repositories only (source.path); git sources"
          + " are checked out by the coordinator");
    }
    Path root = Path.of(source.path());
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("repository folder not found: " + root);
    }
    return root;
  }
}
