package io.garden.cli;

import io.garden.common.ExamplesRepo;
import io.garden.common.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Makefile from {@code garden makefile}, run with real make against a copy of examples/extensions: each old
 * target does what the matching garden command does (same output, and make's exit code for garden's), and the
 * guards print the old messages word for word. The image targets run without an engine here (both fail the same
 * way, fast): the engine itself is tested by the build worker's ITs.
 */
class MakefileIT {

  private static final Path JAR = Path.of("../cli/target/garden.jar").toAbsolutePath().normalize();
  private static final String GARDEN = "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + JAR;
  private static final String NO_ENGINE = "unix:///nonexistent/garden-makefile-it.sock";

  @TempDir
  static Path temp;

  record Run(int exit, String out, String err) {
  }

  @BeforeAll
  static void needsMake() throws Exception {
    Prerequisites.require(Prerequisites.runs("make", "--version"), "no make on this machine (apt-get install make)");
    assertThat(JAR).as("the cli module's package phase builds cli/target/garden.jar").exists();
  }

  @Test
  @DisplayName("validate, sync-compose and check-compose, for all and for one extension, are the garden commands")
  void validateAndSync() throws Exception {
    same(List.of("validate"), List.of("validate"));
    same(List.of("validate", "TYPE=app", "NAME=team-notes"), List.of("validate", "app", "team-notes"));
    same(List.of("sync-compose", "TYPE=tool", "NAME=tool-websearch"),
        List.of("sync-compose", "tool", "tool-websearch"));
    same(List.of("check-compose"), List.of("sync-compose", "--check"));
  }

  @Test
  @DisplayName("TYPE without NAME stops with the old guard message, and make fails as garden does")
  void nameGuard() throws Exception {
    for (String target : List.of("validate", "sync-compose", "check-compose", "build", "test", "push")) {
      Run make = make(fresh(), target, "TYPE=app");
      assertThat(make.out()).isEqualTo("NAME is required when TYPE is specified: make " + target
          + " TYPE=app|service|tool NAME=my-app\n");
      assertThat(make.exit()).isEqualTo(2);
    }
    assertThat(garden(fresh(), "validate", "app").exit()).as("garden's usage error").isEqualTo(2);
  }

  @Test
  @DisplayName("FORCE outside dev, and FORCE without TYPE and NAME, stop with the old messages")
  void forceGuards() throws Exception {
    Run prod = make(fresh(), "publish-registry", "STAGE=prod", "FORCE=1", "TYPE=app", "NAME=team-notes");
    assertThat(prod.out()).isEqualTo("Error: FORCE is only allowed for STAGE=dev (got STAGE=prod)\n");
    assertThat(prod.exit()).isEqualTo(exitOf(garden(fresh(), "publish-registry", "--stage", "prod", "--force", "app",
        "team-notes")));
    Run noTarget = make(fresh(), "publish-registry", "FORCE=1");
    assertThat(noTarget.out()).isEqualTo("Error: FORCE requires TYPE and NAME to specify which extension to force\n");
    assertThat(noTarget.exit()).isEqualTo(2);
  }

  @Test
  @DisplayName("the registry targets build, package, publish (dry run, real, forced, direct), download and unlock")
  void registryTargets() throws Exception {
    same(List.of("build-registry", "STAGE=stage"), List.of("build-registry", "--stage", "stage", "--repo-version",
        "v2"));
    same(List.of("build-registry", "REPO_VERSION=v1"), List.of("build-registry", "--stage", "dev",
        "--repo-version", "v1"));
    same(List.of("package-registry", "BUILD=1"), List.of("build-registry", "--stage", "dev", "--repo-version", "v2"),
        List.of("package-registry", "--stage", "dev", "--repo-version", "v2"));
    same(List.of("publish-registry", "DRY_RUN=1"), List.of("publish-registry", "--stage", "dev", "--repo-version",
        "v2", "--dry-run"));
    same(List.of("publish-registry"), List.of("publish-registry", "--stage", "dev", "--repo-version", "v2"));
    same(List.of("publish-registry", "FORCE=1", "TYPE=app", "NAME=team-notes"), List.of("publish-registry",
        "--stage", "dev", "--repo-version", "v2", "--force", "app", "team-notes"));
    same(List.of("publish-registry-direct"), List.of("publish-registry-direct", "--stage", "dev", "--repo-version",
        "v2"));
    same(List.of("download-registry"), List.of("download-registry", "--stage", "dev", "--repo-version", "v2"));
    same(List.of("remove-publish-lock", "FORCE=1"), List.of("remove-publish-lock", "--stage", "dev",
        "--repo-version", "v2", "--force"));
  }

  @Test
  @DisplayName("new and bump change the repository as garden does")
  void newAndBump() throws Exception {
    same(List.of("new", "TYPE=app", "NAME=fresh-notes"), List.of("new", "app", "fresh-notes"));
    same(List.of("bump", "TYPE=tool", "NAME=tool-websearch", "LEVEL=minor"), List.of("bump", "--level", "minor",
        "tool", "tool-websearch"));
  }

  @Test
  @DisplayName("the image targets run the image commands (here without an engine: the same failure)")
  void imageTargets() throws Exception {
    same(List.of("build", "TYPE=app", "NAME=team-notes"), List.of("build", "app", "team-notes"));
    same(List.of("build-all"), List.of("build-all"));
    same(List.of("test", "TYPE=app", "NAME=team-notes"), List.of("test", "app", "team-notes"));
    same(List.of("test-all"), List.of("test-all"));
    same(List.of("push", "TYPE=app", "NAME=team-notes", "DRY_RUN=1", "BUILD=1"), List.of("push", "app", "team-notes",
        "--stage", "dev", "--build", "--dry-run"));
  }

  @Test
  @DisplayName("ci-pipeline runs the pipeline for one extension, as garden ci-pipeline does")
  void ciPipeline() throws Exception {
    same(List.of("ci-pipeline", "TYPE=app", "NAME=team-notes"), List.of("ci-pipeline", "--stage", "dev", "app",
        "team-notes"));
  }

  @Test
  @DisplayName("make help lists every target with a description, and is what plain make does")
  void help() throws Exception {
    Path repo = fresh();
    Run help = make(repo, "help");
    Run plain = make(repo);
    assertThat(help.exit()).isZero();
    assertThat(plain.out()).isEqualTo(help.out());
    for (LegacyMakefile.Target target : LegacyMakefile.TARGETS) {
      assertThat(help.out()).containsPattern("(?m)^  " + target.name() + " +\\S.*$");
    }
  }

  /** make TARGET VARS and the garden commands, each on a fresh copy at the same path: same output, same outcome. */
  @SafeVarargs
  private static void same(List<String> makeArgs, List<String>... gardenCommands) throws Exception {
    StringBuilder gardenOut = new StringBuilder();
    StringBuilder gardenErr = new StringBuilder();
    int gardenExit = 0;
    Path repo = fresh();
    for (List<String> command : gardenCommands) {
      Run run = garden(repo, command.toArray(String[]::new));
      gardenOut.append(run.out());
      gardenErr.append(run.err());
      gardenExit = run.exit();
      if (gardenExit != 0) {
        break;
      }
    }
    Run make = make(fresh(), makeArgs.toArray(String[]::new));
    String what = "make " + String.join(" ", makeArgs);
    assertThat(normalize(make.out())).as(what + " output").isEqualTo(normalize(gardenOut.toString()));
    assertThat(normalize(withoutLogLines(make.err()))).as(what + " errors")
        .contains(normalize(withoutLogLines(gardenErr.toString())).strip());
    assertThat(make.exit()).as(what + " exit (garden exited " + gardenExit + ")").isEqualTo(exitOf(gardenExit));
  }

  /** Log lines (time, level, logger) come when they come: they are the process's, not the command's output. */
  private static String withoutLogLines(String text) {
    return text.replaceAll("(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) .*\\R?", "");
  }

  /** make's exit code for a recipe that exits with garden's: 0, or make's own 2 for any failure. */
  private static int exitOf(int gardenExit) {
    return gardenExit == 0 ? 0 : 2;
  }

  private static int exitOf(Run garden) {
    return exitOf(garden.exit());
  }

  /** Times, durations and generated ids differ between two runs; nothing else may. */
  private static String normalize(String text) {
    return text
        .replaceAll("p-\\d{8}-\\d{6}-[0-9a-f]+|p-key-[0-9a-f]+", "<pipeline>")
        .replaceAll("\\d{8}-\\d{6}(-\\d{3})?", "<time>")
        // A tarball holds its files' times: its size and hash differ by the second it was made.
        .replaceAll("\\(\\d+ bytes", "(<size> bytes")
        .replaceAll("sha256 [0-9a-f]{64}", "sha256 <hash>")
        .replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z", "<instant>")
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
        .replaceAll("\\b\\d+(\\.\\d+)? ?(ms|s)\\b", "<duration>")
        .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>");
  }

  /** A fresh copy of the examples with the Makefile written by garden, always at the same path. */
  private static Path fresh() throws Exception {
    Path repo = temp.resolve("extensions");
    if (Files.exists(repo)) {
      try (Stream<Path> files = Files.walk(repo)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    ExamplesRepo.copyTo(repo);
    Run written = garden(repo, "makefile", "--write");
    assertThat(written.exit()).as(written.err()).isZero();
    return repo;
  }

  private static Run make(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("make", "--no-print-directory"));
    command.addAll(Arrays.asList(args));
    command.add("GARDEN=" + GARDEN);
    return run(repo, command);
  }

  private static Run garden(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(Arrays.asList(GARDEN.split(" ")));
    command.addAll(Arrays.asList(args));
    return run(repo, command);
  }

  private static Run run(Path dir, List<String> command) throws Exception {
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("GARDEN_") || name.startsWith("KAFKA_") || name.startsWith("MAKE"));
    env.put("DOCKER_HOST", NO_ENGINE);
    // make and garden are compared here, not CI behaviour: without an engine, ci-pipeline under CI=true fails.
    env.remove("CI");
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 180 s");
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
