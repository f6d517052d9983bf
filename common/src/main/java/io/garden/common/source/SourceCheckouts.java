package io.garden.common.source;

import io.garden.common.event.SourceRef;
import io.garden.common.model.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Turns a pipeline's source into a folder the workers read: a local source is its folder; a git source is checked
 * out at its exact commit into a cache shared by every step on this host ({@code checkouts/{url-hash}/{commit}}),
 * fetched once into a bare mirror per repository. A checkout is made in a temporary folder and renamed into place,
 * so a concurrent step sees a whole checkout or none; a lock per repository (in this JVM and across processes)
 * keeps two fetches from racing.
 *
 * <p>Repositories are hostile input: git runs without hooks, the user's or system's configuration, prompts or the
 * ext transport, with a time limit, and the URL and commit are passed after {@code --} or validated first. Blocking:
 * call it off the event loop.
 */
public final class SourceCheckouts {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Map<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path cache;

  /** @param cache where mirrors and checkouts are kept; null allows local sources only */
  /** A push changing more than this many bytes of file names changes everything that matters. */
  private static final int MAX_DIFF_BYTES = 1 << 20;

  public SourceCheckouts(Path cache) {
    this.cache = cache == null ? null : cache.toAbsolutePath().normalize();
  }

  /** Local folders only: a git source is refused with the reason. */
  public static SourceCheckouts localOnly() {
    return new SourceCheckouts(null);
  }

  /**
   * @return the folder {@code source} names, checked out (whether it holds extensions is the caller's question:
   *     {@code ExtensionRepository.require})
   * @throws IllegalArgumentException for a missing folder, a bad commit, or a commit the repository does not have
   */
  public Path resolve(SourceRef source) {
    return folderOf(source);
  }

  private Path folderOf(SourceRef source) {
    if (source == null || source.isLocal()) {
      return SourceRef.localRoot(source);
    }
    if (cache == null) {
      throw new IllegalArgumentException("this process has no source cache for git sources (set"
          + " GARDEN_SOURCE_CACHE)");
    }
    return checkout(source.repo(), source.commit());
  }

  private Path checkout(String url, String commit) {
    if (url == null || url.isBlank() || url.startsWith("-")) {
      throw new IllegalArgumentException("not a git repository URL: " + url);
    }
    if (commit == null || !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("a git source needs the exact commit (40 hex digits), was " + commit);
    }
    String key = hash(url);
    Path target = cache.resolve("checkouts").resolve(key).resolve(commit);
    if (Files.isDirectory(target)) {
      return target;
    }
    synchronized (JVM_LOCKS.computeIfAbsent(key, k -> new Object())) {
      try {
        Files.createDirectories(cache.resolve("locks"));
        try (FileChannel channel = FileChannel.open(cache.resolve("locks").resolve(key + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
          if (Files.isDirectory(target)) {
            return target; // another process made it while we waited
          }
          Path mirror = mirror(url, key, commit);
          return materialise(mirror, commit, target);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot use the source cache " + cache + ": " + e.getMessage(), e);
      }
    }
  }

  /** The bare mirror of {@code url}, fetched again only when it lacks {@code commit}. */
  private Path mirror(String url, String key, String commit) throws IOException {
    Path mirror = cache.resolve("mirrors").resolve(key + ".git");
    if (!Files.isDirectory(mirror)) {
      Files.createDirectories(mirror.getParent());
      Path temp = mirror.resolveSibling(key + ".tmp-" + UUID.randomUUID());
      git(null, "clone", "--bare", "--quiet", "--", url, temp.toString());
      move(temp, mirror);
    }
    if (!has(mirror, commit)) {
      git(mirror, "fetch", "--quiet", "--prune", "--", url, "+refs/*:refs/*");
    }
    if (!has(mirror, commit)) {
      throw new IllegalArgumentException("commit " + commit + " is not in " + url);
    }
    return mirror;
  }

  private Path materialise(Path mirror, String commit, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID());
    Path index = target.resolveSibling(".index-" + UUID.randomUUID());
    Files.createDirectories(temp);
    try {
      // A private index: the mirror's own is shared by concurrent checkouts of other commits.
      run(List.of("git", "--git-dir=" + mirror, "--work-tree=" + temp, "checkout", "--quiet", "-f", commit,
          "--", "."), null, Map.of("GIT_INDEX_FILE", index.toString()));
      move(temp, target);
      return target;
    } finally {
      Files.deleteIfExists(index);
      FileTrees.delete(temp);
    }
  }

  private boolean has(Path mirror, String commit) {
    try {
      git(mirror, "cat-file", "-e", commit + "^{commit}");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The paths that differ between {@code base} and the source's commit (both sides of a rename), or empty when that
   * cannot be told here: a local source, a base the repository does not have (a force push), or a diff too large
   * to be worth reading (then everything is affected anyway).
   */
  public java.util.Optional<List<String>> changedPaths(SourceRef source, String base) {
    if (source == null || source.isLocal() || cache == null || base == null || !COMMIT.matcher(base).matches()) {
      return java.util.Optional.empty();
    }
    folderOf(source); // the mirror holds the commit from here on
    Path mirror = cache.resolve("mirrors").resolve(hash(source.repo()) + ".git");
    if (!has(mirror, base)) {
      return java.util.Optional.empty();
    }
    try {
      String names = run(List.of("git", "--git-dir=" + mirror, "diff", "--name-only", "--no-renames", "-z", base,
          source.commit()), null, Map.of(), MAX_DIFF_BYTES);
      return java.util.Optional.of(List.of(names.split("\u0000")).stream().filter(n -> !n.isEmpty()).toList());
    } catch (IllegalArgumentException tooLargeOrFailed) {
      return java.util.Optional.empty();
    }
  }

  private void git(Path gitDir, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    if (gitDir != null) {
      command.add("--git-dir=" + gitDir);
    }
    command.addAll(List.of(args));
    run(command, null, Map.of());
  }

  private static void run(List<String> command, Path dir, Map<String, String> extraEnv) {
    run(command, dir, extraEnv, 64 * 1024);
  }

  /** Runs git hardened; returns what it printed (at most {@code maxOutput} bytes, or it fails). */
  private static String run(List<String> command, Path dir, Map<String, String> extraEnv, int maxOutput) {
    List<String> hardened = new ArrayList<>();
    hardened.add(command.get(0));
    // No hooks, no ext:: transport, no credential prompts: fetching a repository must not run anything from it.
    hardened.addAll(List.of("-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never",
        "-c", "core.fsmonitor=false", "-c", "advice.detachedHead=false"));
    hardened.addAll(command.subList(1, command.size()));
    ProcessBuilder builder = new ProcessBuilder(hardened).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Map<String, String> env = builder.environment();
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.putAll(extraEnv);
    try {
      Process process = builder.start();
      byte[] output = process.getInputStream().readNBytes(maxOutput);
      if (output.length == maxOutput && process.getInputStream().read() >= 0) {
        process.destroyForcibly();
        throw new IllegalArgumentException("git " + verb(command) + " printed more than " + maxOutput + " bytes");
      }
      if (!process.waitFor(GIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalArgumentException("git " + verb(command) + " took longer than " + GIT_TIMEOUT.toMinutes()
            + " minutes");
      }
      if (process.exitValue() != 0) {
        String said = new String(output, StandardCharsets.UTF_8).strip();
        throw new IllegalArgumentException("git " + verb(command) + " failed"
            + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse(said)));
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git (install it: apt-get install git): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  private static String verb(List<String> command) {
    return command.stream().skip(1).filter(a -> !a.startsWith("-")).findFirst().orElse("");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      if (!Files.isDirectory(to)) {
        throw e;
      }
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // Someone else put it there first: theirs is as good as ours.
    }
  }

  private static String hash(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
