package io.garden.gateway.sources;

import io.garden.common.event.SourceRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which sources a pipeline may read: a local folder only under an allowed root (compared as real paths, so a
 * symlink cannot lead out), a git repository only when an allow-list entry names it (or a folder above it, for an
 * entry ending in '/'; URLs compared in {@link RepositoryUrl}'s canonical form) and only at an exact commit. Both
 * lists are empty unless configured: nothing is allowed by default.
 */
public final class SourcePolicy {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern PLAIN_URL = Pattern.compile("(https|ssh|file)://[A-Za-z0-9._~:/@%+=-]+");
  private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)|%2[eE]");

  private final List<Path> allowedRoots;
  /** The roots as configured and as real paths: a path outside both is refused before anything is looked up. */
  private final List<Path> namedRoots;
  private final List<String> allowedRepos;

  public SourcePolicy(List<Path> allowedRoots, List<String> allowedRepos) {
    this.allowedRoots = allowedRoots.stream().map(SourcePolicy::real).toList();
    this.namedRoots = java.util.stream.Stream.concat(allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()),
        this.allowedRoots.stream()).distinct().toList();
    this.allowedRepos = List.copyOf(allowedRepos);
  }

  public List<Path> allowedRoots() {
    return allowedRoots;
  }

  /**
   * @return the source as the workers should read it (a local path made real and absolute)
   * @throws SourceRefusedException saying what is wrong and which setting allows it
   */
  public SourceRef check(SourceRef source) {
    if (source == null) {
      throw new SourceRefusedException("the request has no source: give {\"path\": ...} or {\"repo\": ..., "
          + "\"commit\": ...}");
    }
    if (source.path() != null && source.repo() != null) {
      throw new SourceRefusedException("a source is either a path or a git repository, not both");
    }
    return source.isLocal() ? local(source) : git(source);
  }

  private SourceRef local(SourceRef source) {
    Path asked = Path.of(source.path());
    if (!asked.isAbsolute()) {
      throw new SourceRefusedException("source path must be absolute: " + source.path());
    }
    // Outside every root as written: refused without looking, so the answer never says what exists there.
    if (namedRoots.stream().noneMatch(asked.normalize()::startsWith)) {
      throw outside(source);
    }
    if (!Files.isDirectory(asked)) {
      throw new SourceRefusedException("source path is not a folder: " + source.path());
    }
    Path real = real(asked);
    if (allowedRoots.stream().noneMatch(real::startsWith)) {
      throw outside(source);
    }
    return SourceRef.local(real.toString());
  }

  private SourceRefusedException outside(SourceRef source) {
    return new SourceRefusedException("source path " + source.path() + " is outside the allowed roots ("
        + (allowedRoots.isEmpty() ? "none configured" : allowedRoots.stream().map(Path::toString)
        .reduce((a, b) -> a + ", " + b).orElse("")) + "); allow it with --repo or GARDEN_ALLOWED_PATHS");
  }

  private SourceRef git(SourceRef source) {
    String repo = source.repo();
    if (repo == null || repo.isBlank()) {
      throw new SourceRefusedException("the source names neither a path nor a git repository");
    }
    if (!PLAIN_URL.matcher(repo).matches() || DOT_SEGMENT.matcher(repo).find()) {
      // A prefix check means nothing once '..' or a git transport trick can lead somewhere else.
      throw new SourceRefusedException("git repository URL " + repo + " is not a plain https://, ssh:// or file://"
          + " URL (no '..' segments, spaces or transport helpers)");
    }
    if (allowedRepos.stream().noneMatch(entry -> RepositoryUrl.allowedBy(repo, entry))) {
      throw new SourceRefusedException("git repository " + repo + " is not allowed (GARDEN_ALLOWED_REPOS: "
          + (allowedRepos.isEmpty() ? "none configured" : String.join(", ", allowedRepos)) + "; an entry allows"
          + " that exact repository, or every repository below it when it ends in '/')");
    }
    if (source.commit() == null || !COMMIT.matcher(source.commit()).matches()) {
      throw new SourceRefusedException("a git source needs the exact commit (40 hex digits), was "
          + source.commit());
    }
    return source;
  }

  private static Path real(Path path) {
    try {
      return path.toAbsolutePath().toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
