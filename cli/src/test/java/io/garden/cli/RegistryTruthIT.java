package io.garden.cli;

import io.garden.build.BusyboxFixtures;
import io.garden.build.RequiresEngine;
import io.garden.common.model.FileTrees;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image registry is the truth for digests, across checkouts: what one checkout pushed, a fresh clone pins the
 * same way (no local record of pushes needed), so publishing it again is UNCHANGED, before and after a promote; and
 * stage refuses an image that is not in the registry, with the push command. Real engine, registry and CLI.
 */
@ExtendWith(RequiresEngine.class)
class RegistryTruthIT {

  @TempDir
  Path temp;

  private CliRun run(Path repo, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--repo";
    all[args.length + 1] = repo.toString();
    return CliRun.of(Map.of("GARDEN_HOST", "test", "DOCKER_HOST", RequiresEngine.dockerHost(),
        "GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry(),
        "GARDEN_STORE", temp.resolve("shared-store").toString()), all);
  }

  /** Another clone of the same repository: its extensions, none of the first one's build output. */
  private Path freshClone(Path repo, String name) throws Exception {
    Path clone = temp.resolve(name);
    FileTrees.copy(repo.resolve("apps"), clone.resolve("apps"), java.util.Set.of());
    Files.createDirectories(clone.resolve("services"));
    Files.createDirectories(clone.resolve("tools"));
    assertThat(clone.resolve("build")).doesNotExist();
    return clone;
  }

  @Test
  @DisplayName("pushed from checkout A and published there, a fresh clone B publishes UNCHANGED; after a promote,"
      + " a prod dry run from another clone is UNCHANGED too")
  void aPushIsPinnedTheSameFromEveryCheckout() throws Exception {
    Path a = temp.resolve("a");
    String app = "truth-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(a, app, "3.1.0", true);
    ok(run(a, "build", "app", app));
    ok(run(a, "push", "--stage", "stage", "app", app));
    CliRun first = run(a, "publish-registry", "--stage", "stage");
    ok(first);
    assertThat(first.out()).contains("INSERT");

    Path b = freshClone(a, "b");
    CliRun again = run(b, "publish-registry", "--stage", "stage");
    ok(again);
    assertThat(again.out()).contains("UNCHANGED").doesNotContain("Cannot mutate");

    // A pipeline (its registry worker in a node of its own) at a commit that changed no extension: UNCHANGED.
    Files.writeString(b.resolve("README.md"), "docs only\n");
    CliRun pipeline = run(b, "ci-pipeline", "--steps", "publish-registry", "--stage", "stage");
    ok(pipeline);
    assertThat(pipeline.out()).doesNotContain("Cannot mutate");

    ok(run(a, "promote", "app", app, "--from", "stage", "--to", "prod"));
    Path c = freshClone(a, "c");
    CliRun prodDryRun = run(c, "publish-registry", "--stage", "prod", "--dry-run");
    ok(prodDryRun);
    assertThat(prodDryRun.out()).contains("UNCHANGED").doesNotContain("Cannot mutate", "FAIL");
  }

  @Test
  @DisplayName("an image that is not in the registry: stage refuses it with the push command, dev publishes with a"
      + " warning")
  void anUnpushedImage() throws Exception {
    Path repo = temp.resolve("unpushed");
    String app = "nopush-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "1.0.0", true);
    ok(run(repo, "sync-compose"));

    CliRun stage = run(repo, "publish-registry", "--stage", "stage");
    assertThat(stage.exitCode()).as(stage.out() + stage.err()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(stage.out() + stage.err()).contains("is not in the image registry",
        "garden push app " + app + " --stage stage");

    CliRun dev = run(repo, "build-registry", "--stage", "dev");
    ok(dev);
    assertThat(dev.out()).contains("warning", "is not in the image registry");
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  @Test
  @DisplayName("ci-pipeline --push --publish: the packaged tarball's index is the index it published, pins included")
  void theTarballIsWhatWasPublished() throws Exception {
    Path repo = temp.resolve("pipeline");
    String app = "tarball-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "1.2.0", true);

    CliRun pipeline = run(repo, "ci-pipeline", "--push", "--publish", "--stage", "stage", "app", app);
    ok(pipeline);

    Path tarball;
    try (var files = Files.list(repo.resolve("dist"))) {
      tarball = files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).findFirst().orElseThrow();
    }
    Path unpacked = Files.createDirectories(temp.resolve("unpacked"));
    Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", unpacked.toString()).start();
    assertThat(tar.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
    Path packaged;
    try (var found = Files.walk(unpacked)) {
      packaged = found.filter(f -> f.toString().endsWith("garden/v2/apps.json")).findFirst().orElseThrow();
    }
    com.fasterxml.jackson.databind.JsonNode inPackage = CliRunJson.read(Files.readString(packaged));
    com.fasterxml.jackson.databind.JsonNode published = CliRunJson.read(Files.readString(
        temp.resolve("shared-store/stage/garden/v2/apps.json")));

    assertThat(inPackage.toString())
        .contains(RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-api:1.2.0-stage@sha256:");
    assertThat(inPackage).as("the package names exactly what the stage publishes").isEqualTo(published);
  }

  /** JSON from a string, for comparing index files. */
  private static final class CliRunJson {
    static com.fasterxml.jackson.databind.JsonNode read(String text) throws Exception {
      return io.garden.common.event.EventCodec.shared().mapper().readTree(text);
    }
  }
}
