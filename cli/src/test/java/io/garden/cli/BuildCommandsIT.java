package io.garden.cli;

import io.garden.build.BusyboxFixtures;
import io.garden.build.RequiresEngine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** garden build / test / push as a user runs them, against the real engine and registry. */
@ExtendWith(RequiresEngine.class)
class BuildCommandsIT {

  @TempDir
  Path repo;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--repo";
    all[args.length + 1] = repo.toString();
    return CliRun.of(Map.of("GARDEN_HOST", "test", "DOCKER_HOST", RequiresEngine.dockerHost(),
        "GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry()), all);
  }

  @Test
  @DisplayName("build shows progress and tags, test passes the smoke test, push --dry-run then push record digests")
  void buildTestPush() throws Exception {
    String app = "cli-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "3.1.0", true);

    CliRun build = run("build", "app", app);
    assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
    assertThat(build.out()).contains("▶ apps/" + app + ": building kamiwazaai/" + app + "-api:3.1.0-dev", "  │ ",
        "✅ kamiwazaai/" + app + "-worker:3.1.0-dev");

    CliRun test = run("test", "app", app);
    assertThat(test.exitCode()).as(test.out()).isZero();
    assertThat(test.out()).contains("✅ apps/" + app + " service api: healthy");

    CliRun dry = run("push", "--stage", "prod", "--dry-run", "app", app);
    assertThat(dry.out()).contains("would push " + RequiresEngine.imageRegistry() + "/kamiwazaai/" + app
        + "-api:3.1.0 (retagged from kamiwazaai/" + app + "-api:3.1.0-dev)");

    CliRun push = run("push", "--stage", "prod", "app", app);
    assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
    assertThat(Files.readString(repo.resolve("build/image-digests.json")))
        .contains("\"kamiwazaai/" + app + "-api:3.1.0\" : \"" + RequiresEngine.imageRegistry() + "/kamiwazaai/" + app
            + "-api:3.1.0@sha256:");
  }

  @Test
  @DisplayName("an invalid stage and a missing Dockerfile are clear errors")
  void errors() throws Exception {
    Files.createDirectories(repo.resolve("apps/empty"));
    Files.writeString(repo.resolve("apps/empty/kamiwaza.json"), "{\"name\":\"empty\",\"version\":\"1.0.0\"}");

    CliRun stage = run("push", "--stage", "qa", "app", "empty");
    assertThat(stage.exitCode()).isEqualTo(2);
    assertThat(stage.err()).contains("Error: Invalid stage 'qa'. Must be: dev, stage, or prod");
    CliRun build = run("build", "app", "empty");
    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(build.out()).contains("no Dockerfile at the extension root or in a service sub-folder");
  }

  @Test
  @DisplayName("test before build names the missing image and the command that builds it, not the engine's JSON")
  void testWithoutImage() throws Exception {
    String app = "cli-nobuild-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "3.1.0", true);
    assertThat(run("sync-compose", "app", app).exitCode()).isZero();

    CliRun test = run("test", "app", app);

    assertThat(test.exitCode()).as(test.out() + test.err()).isEqualTo(1);
    assertThat(test.err()).contains("the image kamiwazaai/" + app + "-api:3.1.0-dev of service 'api' is not on the"
        + " engine").contains("run: garden build app " + app).doesNotContain("{", "Status 404");
  }

  @Test
  @DisplayName("the smoke test says what it is waiting for while services are not healthy yet")
  void smokeTestShowsProgress() throws Exception {
    String app = "cli-slow-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "3.1.0", false);
    assertThat(run("build", "app", app).exitCode()).isZero();

    CliRun test = run("test", "--timeout", "7", "app", app);

    assertThat(test.exitCode()).isEqualTo(1);
    assertThat(test.out()).contains("apps/" + app + " … waiting for").contains("to be healthy (5 s of 7 s)");
  }

  @Test
  @DisplayName("test runs the extension's own suite in a container by default, as pipelines do, and shows its failure")
  void testRunsTheSuiteSandboxed() throws Exception {
    String app = "cli-suite-" + Long.toHexString(System.nanoTime());
    io.garden.build.SuiteFixtures.withTestStage(repo, app,
        "echo \"test_totals FAILED on $(cat /etc/hostname 2>/dev/null || echo sandbox)\"\nexit 1\n");
    assertThat(run("build", "app", app).exitCode()).isZero();

    CliRun test = run("test", "app", app);

    assertThat(test.exitCode()).as(test.out() + test.err()).isEqualTo(1);
    assertThat(test.out()).contains("❌ apps/" + app + ": Dockerfile test stage — exit code 1")
        .contains("   │ test_totals FAILED on");
  }
}
