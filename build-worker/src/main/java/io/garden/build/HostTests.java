package io.garden.build;

import io.garden.build.suite.SuiteResult;
import io.garden.build.suite.SuiteTool;

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
 * An extension's own test suite run on this machine, as the old {@code make test} did: only for a developer's own
 * checkout ({@code garden test --on-host}); pipelines and the default {@code garden test} use
 * {@link SandboxedTests}. Reported as skipped (with the reason) when the tool is not installed.
 */
public final class HostTests {

  private HostTests() {
  }

  public static Optional<SuiteResult> run(Path dir, Duration timeout) {
    Optional<SuiteTool> found = SuiteTool.byFiles(dir);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String tool = found.get().label();
    List<String> command = found.get().command();
    if (!onPath(command.get(0)) || found.get() == SuiteTool.PYTEST && !pytestInstalled()) {
      return Optional.of(new SuiteResult(tool, null, "skipped: " + tool + " is not installed here", List.of()));
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
          return Optional.of(new SuiteResult(tool, false, "timed out after " + timeout.toSeconds() + " s", tail));
        }
        return Optional.of(new SuiteResult(tool, p.exitValue() == 0, "exit code " + p.exitValue(), tail));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return Optional.of(new SuiteResult(tool, false, "could not run: " + e.getMessage(), List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new SuiteResult(tool, false, "interrupted", List.of()));
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
