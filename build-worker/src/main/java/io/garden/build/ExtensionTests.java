package io.garden.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The extension's own test suite (SPEC §8): pytest when there is a requirements.txt or pyproject.toml,
 * {@code npm test} for package.json, {@code go test ./...} for go.mod — with a timeout, and reported as skipped
 * (with the reason) when the tool is not installed.
 */
public final class ExtensionTests {

  /** The outcome: {@code passed} is null when nothing ran (no suite, or no tool). */
  public record Result(String tool, Boolean passed, String detail, List<String> outputTail) {
  }

  private ExtensionTests() {
  }

  public static Optional<Result> run(Path dir, Duration timeout) {
    List<String> command;
    String tool;
    if (Files.isRegularFile(dir.resolve("go.mod"))) {
      tool = "go test";
      command = List.of("go", "test", "./...");
    } else if (Files.isRegularFile(dir.resolve("package.json"))) {
      tool = "npm test";
      command = List.of("npm", "test", "--silent");
    } else if (Files.isRegularFile(dir.resolve("requirements.txt")) || Files.isRegularFile(dir.resolve("pyproject.toml"))) {
      tool = "pytest";
      command = List.of("python3", "-m", "pytest", "-q");
    } else {
      return Optional.empty();
    }
    if (!onPath(command.get(0)) || tool.equals("pytest") && !pytestInstalled()) {
      return Optional.of(new Result(tool, null, "skipped: " + tool + " is not installed here", List.of()));
    }
    try {
      Path log = Files.createTempFile("garden-tests-", ".log");
      try {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        if (!finished) {
          return Optional.of(new Result(tool, false, "timed out after " + timeout.toSeconds() + " s", tail));
        }
        return Optional.of(new Result(tool, p.exitValue() == 0, "exit code " + p.exitValue(), tail));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return Optional.of(new Result(tool, false, "could not run: " + e.getMessage(), List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Result(tool, false, "interrupted", List.of()));
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d).resolve(program)));
  }

  private static boolean pytestInstalled() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import pytest").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
