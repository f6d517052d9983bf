package io.garden.build;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.ImageDigests;
import io.garden.common.model.Stage;
import io.garden.extension.LoadedExtension;
import org.junit.jupiter.api.AfterAll;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds, smoke tests and pushes against the real engine and registry (CI: Podman + docker-registry). */
@ExtendWith(RequiresEngine.class)
class EngineIT {

  @TempDir
  static Path repo;

  private static Engine engine;
  private static final String APP = "bb-" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void setUp() throws Exception {
    engine = new Engine(RequiresEngine.dockerHost());
    BusyboxFixtures.write(repo, APP, "1.0.0", true);
    BusyboxFixtures.write(repo, APP + "-broken", "1.0.0", false);
  }

  @AfterAll
  static void tearDown() throws Exception {
    engine.close();
  }

  private static ExtensionRef ref(String name) {
    return new ExtensionDiscovery(repo).resolve(ExtensionType.APP, name);
  }

  @Test
  @DisplayName("a two-service FROM-scratch extension builds, passes its smoke test on a real /health, and pushes")
  void buildTestPush() throws Exception {
    List<String> progress = new ArrayList<>();
    List<ImageBuilder.Built> built = ImageBuilder.build(engine, ref(APP), BuildOptions.defaults(), progress::add);

    assertThat(built).extracting(ImageBuilder.Built::repository)
        .containsExactly("kamiwazaai/" + APP + "-api", "kamiwazaai/" + APP + "-worker");
    assertThat(engine.imageExists("kamiwazaai/" + APP + "-api:1.0.0-dev")).isTrue();
    assertThat(engine.imageExists("kamiwazaai/" + APP + "-api:latest")).isTrue();
    assertThat(progress).anyMatch(l -> l.contains("busybox"));
    assertThat(Files.readString(repo.resolve("apps/" + APP + "/docker-compose.appgarden.yml")))
        .contains("kamiwazaai/" + APP + "-worker:1.0.0");

    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref(APP)), SmokeTest.APP_GARDEN_LIMIT);
    assertThat(smoke.passed()).as("%s", smoke).isTrue();
    assertThat(smoke.services()).extracting(SmokeTest.ServiceResult::service).containsExactly("api", "worker");
    assertThat(smoke.services().get(1).logs()).anyMatch(l -> l.contains("worker starting on"));

    String registry = RequiresEngine.imageRegistry();
    for (Stage stage : Stage.values()) {
      List<ImagePusher.Pushed> pushed = ImagePusher.push(engine, repo, ref(APP), stage, registry, line -> { });
      assertThat(pushed).hasSize(2).allSatisfy(p -> assertThat(p.digest()).startsWith("sha256:"));
    }
    String tags = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry
        + "/v2/kamiwazaai/" + APP + "-api/tags/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(tags).contains("\"1.0.0-dev\"", "\"1.0.0-stage\"", "\"1.0.0\"").doesNotContain("latest");
    ImageDigests digests = ImageDigests.read(repo);
    assertThat(digests.digest(Stage.PROD, "kamiwazaai/" + APP + "-api:1.0.0")).isPresent();
  }

  @Test
  @DisplayName("an extension without /health fails its smoke test within the limit, with its logs, and is cleaned up")
  void brokenFailsWithLogs() {
    ImageBuilder.build(engine, ref(APP + "-broken"), BuildOptions.defaults(), line -> { });

    long started = System.nanoTime();
    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref(APP + "-broken")), Duration.ofSeconds(5));

    assertThat(smoke.passed()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(smoke.services().get(0).detail()).isEqualTo("not healthy within 5 s");
    assertThat(smoke.services().get(0).logs()).anyMatch(l -> l.contains("api starting on"));
  }

  @Test
  @DisplayName("a Dockerfile that fails to build reports the failing step and its output")
  void failingBuild() throws Exception {
    Path dir = repo.resolve("apps/bad-build");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kamiwaza.json"), "{\"name\":\"bad-build\",\"version\":\"1.0.0\"}");
    Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "sh", "-c", "echo about to fail; exit 3"]
        """);

    assertThatThrownBy(() -> ImageBuilder.build(engine, ref("bad-build"), BuildOptions.defaults(), line -> { }))
        .isInstanceOf(BuildFailedException.class)
        .satisfies(e -> {
          BuildFailedException failure = (BuildFailedException) e;
          assertThat(failure.step()).containsIgnoringCase("3/3");
          assertThat(failure.outputTail()).anyMatch(l -> l.contains("about to fail"));
        });
  }

  @Test
  @DisplayName("push without a built image names the build command; an invalid stage gets the old message")
  void pushErrors() throws Exception {
    BusyboxFixtures.write(repo, "never-built", "2.0.0", true);

    assertThatThrownBy(() -> ImagePusher.plan(engine, ref("never-built"), Stage.DEV, "localhost:5000"))
        .hasMessageContaining("Image kamiwazaai/never-built-api:2.0.0-dev not found; build it first:"
            + " garden build app never-built");
    assertThatThrownBy(() -> Stage.parse("qa")).hasMessage("Error: Invalid stage 'qa'. Must be: dev, stage, or prod");
  }
}
