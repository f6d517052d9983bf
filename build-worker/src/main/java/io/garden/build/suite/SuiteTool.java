package io.garden.build.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which test suite an extension carries (SPEC §8), decided from its files alone: {@code go test ./...} for go.mod,
 * {@code npm test} for package.json, pytest for requirements.txt or pyproject.toml. A Dockerfile stage named
 * {@code test} is the extension saying how its tests run, and wins over all of them.
 */
public enum SuiteTool {
  TEST_STAGE("Dockerfile test stage", null, List.of()),
  GO("go test", "go.mod", List.of("go", "test", "./...")),
  NPM("npm test", "package.json", List.of("npm", "test", "--silent")),
  PYTEST("pytest", "requirements.txt", List.of("python3", "-m", "pytest", "-q"));

  private static final Pattern TEST_STAGE_LINE =
      Pattern.compile("(?im)^\\s*FROM\\s+(?:--\\S+\\s+)*\\S+\\s+AS\\s+test\\s*$");

  private final String label;
  private final String marker;
  private final List<String> command;

  SuiteTool(String label, String marker, List<String> command) {
    this.label = label;
    this.marker = marker;
    this.command = command;
  }

  /** How the suite is named in events and output ("pytest"). */
  public String label() {
    return label;
  }

  /** The command that runs the suite inside its folder; empty for a test stage, whose own command is the suite. */
  public List<String> command() {
    return command;
  }

  /** The suite of the extension in {@code dir}, without its Dockerfiles (a test stage is found by {@link #hasTestStage}). */
  public static Optional<SuiteTool> byFiles(Path dir) {
    for (SuiteTool tool : List.of(GO, NPM, PYTEST)) {
      if (Files.isRegularFile(dir.resolve(tool.marker))
          || tool == PYTEST && Files.isRegularFile(dir.resolve("pyproject.toml"))) {
        return Optional.of(tool);
      }
    }
    return Optional.empty();
  }

  /** True when the Dockerfile's text declares a stage named {@code test} ({@code FROM image AS test}). */
  public static boolean hasTestStage(String dockerfile) {
    return TEST_STAGE_LINE.matcher(dockerfile).find();
  }

  private static final Pattern FROM_LINE = Pattern.compile("(?im)^\\s*FROM\\s");
  private static final Pattern RUNS = Pattern.compile("(?im)^\\s*(CMD|ENTRYPOINT)\\s");

  /**
   * Whether the Dockerfile's {@code test} stage names what it runs itself ({@code CMD} or {@code ENTRYPOINT} between
   * its {@code FROM} and the next): that command is the suite garden runs in the sandbox. A stage without one would
   * run the command it inherits (the service itself) and read as a pass while no test ran.
   */
  public static boolean testStageRuns(String dockerfile) {
    java.util.regex.Matcher stage = TEST_STAGE_LINE.matcher(dockerfile);
    if (!stage.find()) {
      return false;
    }
    String rest = dockerfile.substring(stage.end());
    java.util.regex.Matcher next = FROM_LINE.matcher(rest);
    String body = next.find() ? rest.substring(0, next.start()) : rest;
    return RUNS.matcher(body).find();
  }

  /** {@link #hasTestStage(String)} of a Dockerfile on disk; a missing one has none. */
  public static boolean hasTestStage(Path dockerfile) {
    try {
      return Files.isRegularFile(dockerfile) && hasTestStage(Files.readString(dockerfile));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + dockerfile, e);
    }
  }
}
