package io.garden.cli;

import io.garden.build.BusyboxFixtures;
import io.garden.build.RequiresEngine;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** garden promote against the real engine and image registry: prod gets the digests stage tested, no rebuild. */
@ExtendWith(RequiresEngine.class)
class PromoteIT {

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

  private String index(String stage) throws Exception {
    Path file = repo.resolve(".garden/store/" + stage + "/garden/v2/apps.json");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  @DisplayName("promote tags stage's tested digests for prod in the registry and publishes the same entry on prod")
  void promoteStageToProd() throws Exception {
    String app = "promo-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "2.4.0", true);
    ok(run("build", "app", app));
    ok(run("push", "--stage", "stage", "app", app));
    ok(run("publish-registry", "--stage", "stage"));
    String api = RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-api";
    Matcher pinned = Pattern.compile(Pattern.quote(api) + ":2\\.4\\.0-stage@(sha256:[0-9a-f]{64})")
        .matcher(index("stage"));
    assertThat(pinned.find()).as(index("stage")).isTrue();
    String tested = pinned.group(1);

    CliRun dry = run("promote", "app", app, "--from", "stage", "--to", "prod", "--dry-run");
    ok(dry);
    assertThat(dry.out()).contains("would tag " + api + ":2.4.0@" + tested).contains("INSERT");
    assertThat(index("prod")).isEmpty();

    CliRun promoted = run("promote", "app", app, "--from", "stage", "--to", "prod");
    ok(promoted);
    assertThat(promoted.out()).contains("tagged " + api + ":2.4.0@" + tested).doesNotContain("building");
    assertThat(index("prod")).contains(api + ":2.4.0@" + tested).doesNotContain("-stage");
    assertThat(new ImageRegistryApi().digestOf(ImageRef.parse(api + ":2.4.0"))).isEqualTo(tested);

    CliRun again = run("promote", "app", app, "--from", "stage", "--to", "prod");
    ok(again);
    assertThat(again.out()).contains("UNCHANGED");
  }

  @Test
  @DisplayName("promote of something never published on the from-stage says so and what to run")
  void nothingToPromote() throws Exception {
    BusyboxFixtures.write(repo, "unpublished", "1.0.0", true);

    CliRun run = run("promote", "app", "unpublished", "--from", "stage", "--to", "prod");

    assertThat(run.exitCode()).as("a usage error, like every other refused argument").isEqualTo(2);
    assertThat(run.err()).contains("nothing named unpublished is published on stage; publish it there first"
        + " (garden publish-registry --stage stage)");
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
