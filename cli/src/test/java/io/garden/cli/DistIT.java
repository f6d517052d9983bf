package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution as a user gets it: garden-VERSION.tar.gz unpacked into a folder of its own, run through a symlink
 * from outside the source tree, with nothing but a Java runtime.
 */
class DistIT {

  @TempDir
  Path temp;

  @Test
  @DisplayName("the unpacked tarball validates examples/extensions from outside the source tree, through a symlink")
  void unpackedTarballValidates() throws Exception {
    Path tarball = tarball();
    run(temp, List.of("tar", "xzf", tarball.toAbsolutePath().toString()));
    Path home;
    try (Stream<Path> unpacked = Files.list(temp)) {
      home = unpacked.filter(p -> p.getFileName().toString().startsWith("garden-")).findFirst().orElseThrow();
    }
    Path link = Files.createDirectories(temp.resolve("elsewhere/bin")).resolve("garden");
    Files.createSymbolicLink(link, home.resolve("bin/garden"));
    Path examples = Path.of("..", "examples", "extensions").toAbsolutePath().normalize();
    Path workDir = Files.createDirectories(temp.resolve("work"));

    Result version = run(workDir, List.of(link.toString(), "--version"));
    Result validate = run(workDir, List.of(link.toString(), "validate", "--repo", examples.toString()));

    assertThat(version.exit()).isZero();
    assertThat(version.out().strip()).matches("garden \\S+ \\(commit ([0-9a-f]{7,40}|unknown)\\)");
    assertThat(validate.exit()).as(validate.out()).isZero();
    assertThat(validate.out()).contains("3 extension(s) validated: 3 passed, 0 failed");
    assertThat(home.resolve("lib/classpath")).exists();
    assertThat(home.resolve("licenses")).isDirectory();
  }

  private static Path tarball() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("garden-.+\\.tar\\.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no target/garden-VERSION.tar.gz: the package phase builds it"));
    }
  }

  private record Result(int exit, String out) {
  }

  private static Result run(Path dir, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // The tarball as such: no warm server left behind by a test (WarmPathIT tests that path).
    builder.environment().put("GARDEN_DAEMON", "0");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 120 s: " + out);
    }
    return new Result(process.exitValue(), out);
  }
}
