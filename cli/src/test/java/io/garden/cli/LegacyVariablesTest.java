package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The old toolchain's variables in the environment: honoured by agreement with the flags, or refused; never ignored. */
class LegacyVariablesTest {

  @TempDir
  Path temp;

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "test");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  @DisplayName("STAGE=prod DRY_RUN=1 garden publish-registry refuses (exit 2), names both flags, and writes nothing")
  void publishWithOldVariablesRefuses() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("repo")));
    Map<String, String> env = env("STAGE", "prod", "DRY_RUN", "1", "GARDEN_STORE", temp.resolve("store").toString());

    CliRun run = CliRun.of(env, "publish-registry", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("STAGE=prod is set, but this command runs for stage dev (the default): pass"
        + " --stage prod", "DRY_RUN=1 is set: pass --dry-run");
    assertThat(temp.resolve("store")).doesNotExist();
    assertThat(repo.resolve("build")).doesNotExist();
  }

  @Test
  @DisplayName("STAGE=prod garden push app x refuses instead of pushing -dev tags")
  void pushWithStageRefuses() {
    CliRun run = CliRun.of(env("STAGE", "prod"), "push", "app", "team-notes", "--repo", temp.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("pass --stage prod");
  }

  @Test
  @DisplayName("variables that agree with the flags run as usual (what the generated Makefile does)")
  void agreementRuns() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("repo")));
    CliRun run = CliRun.of(env("STAGE", "prod", "TYPE", "app", "NAME", "team-notes", "DRY_RUN", "0"),
        "build-registry", "--stage", "prod", "--repo", repo.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    CliRun validate = CliRun.of(env("TYPE", "app", "NAME", "team-notes", "STAGE", "prod"), "validate", "app",
        "team-notes", "--repo", repo.toString());
    assertThat(validate.exitCode()).as("validate has no stage: STAGE means nothing to it, as to make validate")
        .isZero();
  }

  @Test
  @DisplayName("TYPE and NAME must be the command's arguments, FORCE its --force")
  void targetAndForce() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("repo")));
    CliRun all = CliRun.of(env("TYPE", "app", "NAME", "team-notes"), "validate", "--repo", repo.toString());
    assertThat(all.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(all.err()).contains("TYPE=app NAME=team-notes is set, but the command names no extension: pass them"
        + " as arguments (app team-notes)");

    CliRun forced = CliRun.of(env("FORCE", "1"), "publish-registry", "--repo", repo.toString());
    assertThat(forced.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(forced.err()).contains("FORCE=1 is set: pass --force TYPE NAME");
  }

  @Test
  @DisplayName("--help still answers whatever the environment holds")
  void helpIsNeverRefused() {
    assertThat(CliRun.of(env("STAGE", "prod"), "publish-registry", "--help").exitCode()).isZero();
  }
}
