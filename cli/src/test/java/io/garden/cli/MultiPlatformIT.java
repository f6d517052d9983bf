package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.build.BusyboxFixtures;
import io.garden.build.Engine;
import io.garden.build.RequiresEngine;
import io.garden.common.format.Json;
import io.garden.common.images.ImageIndex;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;
import io.garden.common.platform.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * garden push for every platform, on the real engine with QEMU and the loopback registry: one OCI image index per
 * tag, whose children run as the platform they name; build-registry pins the index, promote keeps it byte for byte,
 * and a platform that fails leaves no index behind.
 */
@ExtendWith(RequiresEngine.class)
class MultiPlatformIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path repo;

  @BeforeAll
  static void emulation() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean ready = Files.isExecutable(BusyboxFixtures.ARM64_BUSYBOX)
        && Files.exists(Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64"));
    if (ci) {
      assertThat(ready).as("CI registers QEMU and an arm64 busybox: scripts/container-engine.sh platforms").isTrue();
    }
    assumeThat(ready).as("linux/arm64 emulation (scripts/container-engine.sh platforms)").isTrue();
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--repo");
    all.add(repo.toString());
    return CliRun.of(Map.of("GARDEN_HOST", "test", "DOCKER_HOST", RequiresEngine.dockerHost(),
        "GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry()), all.toArray(String[]::new));
  }

  @Test
  @DisplayName("push --stage stage of a two-service app puts, per service, an index of exactly linux/amd64 and"
      + " linux/arm64 that run as aarch64 and x86_64; the registry index pins it; promote keeps it byte for byte")
  void everyPlatformInOneIndex() throws Exception {
    String app = "multi-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.writeMultiPlatform(repo, app, "2.0.0", false);
    ok(run("build", "app", app));

    CliRun dry = run("push", "--stage", "stage", "app", app, "--dry-run");
    ok(dry);
    assertThat(dry.out()).contains("would push " + RequiresEngine.imageRegistry() + "/kamiwazaai/" + app
        + "-api:2.0.0-stage (retagged from kamiwazaai/" + app + "-api:2.0.0-dev) as an index of"
        + " linux/amd64,linux/arm64");
    CliRun pushed = run("push", "--stage", "stage", "app", app);
    ok(pushed);

    try (Engine engine = new Engine(RequiresEngine.dockerHost())) {
      for (String service : List.of("api", "worker")) {
        String name = RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-" + service;
        JsonNode index = manifest(name, "2.0.0-stage");
        assertThat(index.path("mediaType").asText()).isEqualTo(ImageIndex.MEDIA_TYPE);
        Set<String> platforms = new TreeSet<>();
        index.path("manifests").forEach(m -> platforms.add(m.path("platform").path("os").asText() + "/"
            + m.path("platform").path("architecture").asText()));
        assertThat(platforms).containsExactly("linux/amd64", "linux/arm64");
        String digest = ImageRegistryApi.shared().digestOf(ImageRef.parse(name + ":2.0.0-stage"));
        assertThat(engine.runOnce(name + "@" + digest, Platform.parse("linux/arm64"),
            List.of("/bin/sh", "-c", "uname -m; cat /arch"), Duration.ofMinutes(2)))
            .containsExactly("aarch64", "aarch64");
        assertThat(engine.runOnce(name + "@" + digest, Platform.parse("linux/amd64"),
            List.of("/bin/sh", "-c", "uname -m; cat /arch"), Duration.ofMinutes(2)))
            .containsExactly("x86_64", "x86_64");
      }
    }
    String api = RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-api";
    String indexDigest = ImageRegistryApi.shared().digestOf(ImageRef.parse(api + ":2.0.0-stage"));
    ok(run("publish-registry", "--stage", "stage"));
    assertThat(Files.readString(repo.resolve(".garden/store/stage/garden/v2/apps.json")))
        .contains(api + ":2.0.0-stage@" + indexDigest);

    ok(run("promote", "app", app, "--from", "stage", "--to", "prod"));
    assertThat(ImageRegistryApi.shared().digestOf(ImageRef.parse(api + ":2.0.0"))).isEqualTo(indexDigest);
    assertThat(Files.readString(repo.resolve(".garden/store/prod/garden/v2/apps.json")))
        .contains(api + ":2.0.0@" + indexDigest);

    Path both = repo.resolve("both.tar");
    ok(run("export-images", "--stage", "stage", "-o", both.toString()));
    Map<String, byte[]> layout = OciLayouts.read(both);
    assertThat(OciLayouts.indexOf(layout, api + ":2.0.0-stage").path("digest").asText())
        .as("every platform kept: the very index the registry pins").isEqualTo(indexDigest);
    Path arm64 = repo.resolve("arm64.tar");
    ok(run("export-images", "--stage", "stage", "--platforms", "linux/arm64", "-o", arm64.toString()));
    Map<String, byte[]> narrowed = OciLayouts.read(arm64);
    JsonNode cut = Json.events().readTree(OciLayouts.blob(narrowed, OciLayouts.indexOf(narrowed,
        api + ":2.0.0-stage").path("digest").asText()));
    assertThat(cut.path("manifests")).singleElement().satisfies(m ->
        assertThat(m.path("platform").path("architecture").asText()).isEqualTo("arm64"));
    assertThat(cut.path("annotations").path("io.garden.image.index.cut-from").asText()).isEqualTo(indexDigest);
    // Offline, the archive fills the site's own registry: the same index, so the digests the registry pins resolve.
    String offline = RequiresEngine.imageRegistry() + "/offline/" + app + "-api:2.0.0-stage";
    Process copy = new ProcessBuilder("skopeo", "copy", "--all", "--dest-tls-verify=false",
        "oci-archive:" + both + ":" + api + ":2.0.0-stage", "docker://" + offline).redirectErrorStream(true).start();
    String copied = new String(copy.getInputStream().readAllBytes());
    assertThat(copy.waitFor()).as(copied).isZero();
    assertThat(ImageRegistryApi.shared().digestOf(ImageRef.parse(offline))).isEqualTo(indexDigest);
    try (Engine engine = new Engine(RequiresEngine.dockerHost())) {
      assertThat(engine.runOnce(offline.replace(":2.0.0-stage", "@" + indexDigest), Platform.parse("linux/arm64"),
          List.of("/bin/sh", "-c", "uname -m"), Duration.ofMinutes(2))).containsExactly("aarch64");
    }
  }

  @Test
  @DisplayName("a service that fails to build on arm64 only fails the push, and no index is put under its tag")
  void aPlatformThatFailsLeavesNoIndex() throws Exception {
    String app = "half-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.writeMultiPlatform(repo, app, "2.0.0", true);
    ok(run("build", "app", app));

    CliRun pushed = run("push", "--stage", "stage", "app", app);

    assertThat(pushed.exitCode()).as(pushed.out() + pushed.err()).isNotZero();
    assertThat(pushed.out() + pushed.err()).contains("no arm64 here");
    HttpResponse<Void> tag = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + RequiresEngine.imageRegistry()
        + "/v2/kamiwazaai/" + app + "-worker/manifests/2.0.0-stage")).method("HEAD",
        HttpRequest.BodyPublishers.noBody()).header("Accept", ImageIndex.MEDIA_TYPE).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(tag.statusCode()).as("no half index under the stage tag").isEqualTo(404);
  }

  @Test
  @DisplayName("GARDEN_PLATFORMS names one platform: a plain image, no index; a platform garden does not know is"
      + " refused, naming the setting")
  void platformsAreASetting() throws Exception {
    String app = "single-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.writeMultiPlatform(repo, app, "2.0.0", false);
    ok(run("build", "app", app));
    Map<String, String> env = Map.of("GARDEN_HOST", "test", "DOCKER_HOST", RequiresEngine.dockerHost(),
        "GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry(), "GARDEN_PLATFORMS", "linux/amd64");

    ok(CliRun.of(env, "push", "--stage", "stage", "app", app, "--repo", repo.toString()));
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    int typo = Main.execute(new Invocation(repo, Map.of("GARDEN_HOST", "test", "PLATFORMS", "linux/arm65")), stdout,
        stderr, "push", "--stage", "stage", "app", app, "--repo", repo.toString());

    assertThat(manifest(RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-api", "2.0.0-stage")
        .path("mediaType").asText()).isNotEqualTo(ImageIndex.MEDIA_TYPE);
    assertThat(typo).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr.toString()).contains("PLATFORMS: unknown platform 'linux/arm65'").contains("linux/arm64")
        .doesNotContain("Exception");
  }

  private static JsonNode manifest(String name, String tag) throws Exception {
    int slash = name.indexOf('/');
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + name.substring(0, slash)
        + "/v2/" + name.substring(slash + 1) + "/manifests/" + tag)).header("Accept", String.join(",",
        ImageIndex.MEDIA_TYPE, "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode json = Json.events().readTree(response.body());
    if (!json.has("mediaType")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("mediaType",
          response.headers().firstValue("Content-Type").orElse(""));
    }
    return json;
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
