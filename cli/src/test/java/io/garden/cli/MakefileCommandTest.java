package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MakefileCommandTest {

  @TempDir
  Path temp;

  @Test
  @DisplayName("garden makefile prints the Makefile, marked as ours, calling garden through GARDEN")
  void prints() {
    CliRun run = CliRun.of("makefile");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith(LegacyMakefile.MARKER).contains("GARDEN ?= garden\n")
        .contains("\nvalidate:\n").contains("\npublish-registry-direct:\n");
  }

  @Test
  @DisplayName("--write writes the repository's Makefile, and may write it again over its own")
  void writesAndRewrites() throws Exception {
    Path repo = CliRun.copyOfExamples(temp.resolve("repo"));
    assertThat(CliRun.of("makefile", "--write", "--repo", repo.toString()).exitCode()).isZero();
    assertThat(Files.readString(repo.resolve("Makefile"))).startsWith(LegacyMakefile.MARKER);
    assertThat(CliRun.of("makefile", "--write", "--repo", repo.toString()).exitCode()).isZero();
  }

  @Test
  @DisplayName("--write keeps a Makefile garden did not write, saying how to replace it; --force replaces it")
  void keepsForeignMakefile() throws Exception {
    Path repo = CliRun.copyOfExamples(temp.resolve("repo"));
    Files.writeString(repo.resolve("Makefile"), "validate:\n\tpython3 scripts/validate.py\n");

    CliRun refused = CliRun.of("makefile", "--write", "--repo", repo.toString());
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("was not written by garden; keeping it")
        .contains("garden makefile --write --force");
    assertThat(Files.readString(repo.resolve("Makefile"))).startsWith("validate:");

    assertThat(CliRun.of("makefile", "--write", "--force", "--repo", repo.toString()).exitCode()).isZero();
    assertThat(Files.readString(repo.resolve("Makefile"))).startsWith(LegacyMakefile.MARKER);
  }

  @Test
  @DisplayName("--write outside an extensions repository is a usage error and writes nothing")
  void notARepository() {
    CliRun run = CliRun.of("makefile", "--write", "--repo", temp.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(temp.resolve("Makefile")).doesNotExist();
  }
}
