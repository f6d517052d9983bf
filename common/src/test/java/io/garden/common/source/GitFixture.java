package io.garden.common.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a working repository that pushes to a local bare one, reachable as a file:// URL. */
public final class GitFixture {

  private final Path work;
  private final Path bare;

  private GitFixture(Path work, Path bare) {
    this.work = work;
    this.bare = bare;
  }

  public static GitFixture create(Path work, Path bare) throws IOException, InterruptedException {
    Files.createDirectories(work);
    run(work.getParent(), "git", "init", "--quiet", "--bare", bare.toString());
    run(work, "git", "init", "--quiet", "-b", "main");
    run(work, "git", "remote", "add", "origin", bare.toString());
    return new GitFixture(work, bare);
  }

  public String url() {
    return bare.toUri().toString().replaceFirst("^file:/(?!/)", "file:///");
  }

  public Path work() {
    return work;
  }

  public void write(String file, String content) throws IOException {
    Path path = work.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content, StandardCharsets.UTF_8);
  }

  /** Writes one file, commits everything, pushes; the new commit's id. */
  public String commit(String file, String content) throws IOException, InterruptedException {
    write(file, content);
    return commitAll("change " + file);
  }

  public String commitAll(String message) throws IOException, InterruptedException {
    run(work, "git", "add", "-A");
    run(work, "git", "-c", "user.name=it", "-c", "user.email=it@test", "commit", "--quiet", "-m", message);
    run(work, "git", "push", "--quiet", "origin", "HEAD:refs/heads/main");
    return run(work, "git", "rev-parse", "HEAD").strip();
  }

  /**
   * Commits everything onto a branch of its own (as a fork's pull request would bring it), pushes that branch, and
   * puts the working tree back where it was: main does not move.
   */
  public String commitAllOnBranch(String branch, String message) throws IOException, InterruptedException {
    String before = run(work, "git", "rev-parse", "HEAD").strip();
    run(work, "git", "add", "-A");
    run(work, "git", "-c", "user.name=it", "-c", "user.email=it@test", "commit", "--quiet", "-m", message);
    run(work, "git", "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
    String sha = run(work, "git", "rev-parse", "HEAD").strip();
    run(work, "git", "reset", "--quiet", "--hard", before);
    run(work, "git", "clean", "-fdq");
    return sha;
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    Process process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
