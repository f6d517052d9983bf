package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry commands against the default folder store, as a user runs them. */
class RegistryCommandsTest {

  @TempDir
  Path repo;

  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    CliRun.copyOfExamples(repo);
    env = Map.of("GARDEN_HOST", "test");
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--repo");
    all.add(repo.toString());
    return CliRun.of(env, all.toArray(String[]::new));
  }

  private JsonNode published(String stage) throws Exception {
    return EventCodec.shared().mapper().readTree(repo.resolve(".garden/store/" + stage + "/garden/v2/apps.json")
        .toFile());
  }

  @Test
  @DisplayName("--force on prod keeps the old guard and says the way out; with --emergency it replaces the entry and"
      + " says so first")
  void emergencyForceOnProd() throws Exception {
    CliRun refused = run("publish-registry", "--stage", "prod", "--force", "app", "team-notes");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("Error: FORCE is only allowed for STAGE=dev (got STAGE=prod). For stage/prod,"
        + " you must bump the version in kamiwaza.json", "--emergency");
    assertThat(repo.resolve(".garden/store/prod")).doesNotExist();

    CliRun forced = run("publish-registry", "--stage", "prod", "--force", "app", "team-notes", "--emergency");
    assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
    assertThat(forced.out()).contains("🚨 EMERGENCY: --force on prod");
    assertThat(published("prod").toString()).contains("team-notes");
    assertThat(run("publish-registry", "--emergency").err()).contains("--emergency only confirms a --force");
  }

  @Test
  @DisplayName("stages do not share an index in one store: after a dev publish, a prod dry run and publish see an"
      + " empty prod, and dev keeps its -dev tags")
  void stagesHaveTheirOwnIndex() throws Exception {
    assertThat(run("publish-registry", "--stage", "dev").exitCode()).isZero();
    JsonNode dev = published("dev");

    CliRun dryRun = run("publish-registry", "--stage", "prod", "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
    assertThat(dryRun.out()).doesNotContain("Cannot mutate existing version");
    assertThat(run("publish-registry", "--stage", "prod").exitCode()).isZero();

    assertThat(published("dev")).isEqualTo(dev);
    assertThat(published("dev").toString()).contains("-dev");
    assertThat(published("prod").toString()).doesNotContain("1.4.2-dev").contains("team-notes-backend:1.4.2");
  }

  @Test
  @DisplayName("build-registry writes apps.json (apps and services) and tools.json with compose_yml and stage tags")
  void buildRegistry() throws Exception {
    CliRun run = run("build-registry", "--stage", "prod");

    assertThat(run.exitCode()).isZero();
    Path dir = repo.resolve("build/kamiwaza-extension-registry/garden/v2");
    JsonNode apps = EventCodec.shared().mapper().readTree(dir.resolve("apps.json").toFile());
    JsonNode tools = EventCodec.shared().mapper().readTree(dir.resolve("tools.json").toFile());
    assertThat(apps).extracting(e -> e.get("name").asText()).containsExactly("service-vectordb", "team-notes");
    assertThat(tools).extracting(e -> e.get("name").asText()).containsExactly("tool-websearch");
    JsonNode notes = apps.get(1);
    assertThat(notes.get("compose_yml").asText()).contains("image: kamiwazaai/team-notes-backend:1.4.2\n");
    assertThat(notes.get("docker_images")).extracting(JsonNode::asText)
        .containsExactly("kamiwazaai/team-notes-backend:1.4.2", "kamiwazaai/team-notes-frontend:1.4.2",
            "postgres:16-alpine");
    assertThat(run("build-registry", "--stage", "stage").exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("apps.json"))).contains("team-notes-backend:1.4.2-stage");
  }

  @Test
  @DisplayName("an image pushed to a registry is named in the index with that registry's host, pinned by digest")
  void pushedImagesKeepTheirRegistry() throws Exception {
    String digest = "sha256:" + "cd".repeat(32);
    Files.createDirectories(repo.resolve("build"));
    Files.writeString(repo.resolve("build/image-digests.json"), "{\"prod\": {\"kamiwazaai/team-notes-backend:1.4.2\":"
        + " \"localhost:5000/kamiwazaai/team-notes-backend:1.4.2@" + digest + "\"}}");

    assertThat(run("build-registry", "--stage", "prod").exitCode()).isZero();

    JsonNode entry = EventCodec.shared().mapper().readTree(repo.resolve(
        "build/kamiwaza-extension-registry/garden/v2/apps.json").toFile()).get(1);
    String pinned = "localhost:5000/kamiwazaai/team-notes-backend:1.4.2@" + digest;
    assertThat(entry.path("compose_yml").asText()).contains("image: " + pinned);
    assertThat(entry.path("docker_images")).extracting(JsonNode::asText).contains(pinned);
  }

  @Test
  @DisplayName("recorded push digests pin the images of compose_yml and docker_images")
  void digestsPin() throws Exception {
    String digest = "sha256:" + "ab".repeat(32);
    Files.createDirectories(repo.resolve("build"));
    Files.writeString(repo.resolve("build/image-digests.json"),
        "{\"dev\": {\"kamiwazaai/team-notes-backend:1.4.2-dev\": \"" + digest + "\"}}");

    run("build-registry");

    String apps = Files.readString(repo.resolve("build/kamiwaza-extension-registry/garden/v2/apps.json"));
    assertThat(apps).contains("kamiwazaai/team-notes-backend:1.4.2-dev@" + digest)
        .contains("\"kamiwazaai/team-notes-frontend:1.4.2-dev\"");
  }

  @Test
  @DisplayName("package-registry makes a tarball rooted at kamiwaza-extension-registry/ with relative names only")
  void packageRegistry() throws Exception {
    run("build-registry");
    CliRun run = run("package-registry");

    assertThat(run.exitCode()).isZero();
    Path tarball;
    try (Stream<Path> dist = Files.list(repo.resolve("dist"))) {
      tarball = dist.filter(p -> p.getFileName().toString().matches("kamiwaza-registry-\\d{8}-\\d{6}\\.tar\\.gz"))
          .findFirst().orElseThrow();
    }
    List<String> names = new ArrayList<>();
    Map<String, Integer> modes = new java.util.HashMap<>();
    try (InputStream in = Files.newInputStream(tarball);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        modes.put(e.getName(), e.getMode() & 0777);
      }
    }
    assertThat(names).contains("kamiwaza-extension-registry/garden/v2/apps.json",
        "kamiwaza-extension-registry/garden/v2/tools.json")
        .allMatch(n -> n.startsWith("kamiwaza-extension-registry/") && !n.contains(".."));
    assertThat(names).as("the offline package's helper files, as the old build-registry shipped them")
        .contains("kamiwaza-extension-registry/README.md", "kamiwaza-extension-registry/package-setup.sh",
            "kamiwaza-extension-registry/serve-registry.py",
            "kamiwaza-extension-registry/kamiwaza-registry.env.template");
    assertThat(modes.get("kamiwaza-extension-registry/package-setup.sh")).isEqualTo(0755);
    assertThat(modes.get("kamiwaza-extension-registry/serve-registry.py")).isEqualTo(0755);
  }

  @Test
  @DisplayName("build-registry leaves build/registry.json for scripts: both indexes, the stage and the layout")
  void registryJsonSummary() throws Exception {
    assertThat(run("build-registry", "--stage", "stage").exitCode()).isZero();

    JsonNode summary = EventCodec.shared().mapper().readTree(repo.resolve("build/registry.json").toFile());
    assertThat(summary.path("stage").asText()).isEqualTo("stage");
    assertThat(summary.path("repo_version").asText()).isEqualTo("v2");
    assertThat(summary.path("path").asText()).isEqualTo("build/kamiwaza-extension-registry/garden/v2");
    assertThat(summary.path("apps")).isEqualTo(EventCodec.shared().mapper().readTree(
        repo.resolve("build/kamiwaza-extension-registry/garden/v2/apps.json").toFile()));
    assertThat(summary.path("tools")).hasSize(1);

    Files.writeString(repo.resolve("tools/tool-websearch/kamiwaza.json"), "{ not json");
    assertThat(run("build-registry").exitCode()).isEqualTo(1);
    assertThat(repo.resolve("build/registry.json")).as("no summary of a registry that was not built").doesNotExist();
  }

  @Test
  @DisplayName("the unpacked package sets itself up without questions and serves its indexes read-only")
  void packageHelpersWork() throws Exception {
    run("build-registry");
    Path root = repo.resolve("build/kamiwaza-extension-registry");

    Process setup = new ProcessBuilder(root.resolve("package-setup.sh").toString()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String output = new String(setup.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(setup.waitFor()).as(output).isZero();
    assertThat(output).contains("✓ 2 apps and services in apps.json", "✓ 1 tools in tools.json");
    assertThat(Files.readString(root.resolve("kamiwaza-registry.env")))
        .contains("export KAMIWAZA_EXTENSION_STAGE=LOCAL")
        .contains("KAMIWAZA_EXTENSION_LOCAL_STAGE_URL=file://" + root)
        .contains("KAMIWAZA_REGISTRY_APPS=" + root + "/garden/v2/apps.json");

    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process serve = new ProcessBuilder("python3", root.resolve("serve-registry.py").toString(), "--http", "--port",
        Integer.toString(port)).redirectErrorStream(true).start();
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI apps = java.net.URI.create("http://127.0.0.1:" + port + "/garden/v2/apps.json");
      java.net.http.HttpResponse<String> got = org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> http.send(java.net.http.HttpRequest.newBuilder(apps).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
      assertThat(got.body()).isEqualTo(Files.readString(root.resolve("garden/v2/apps.json")));
      assertThat(got.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
          + "/garden/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no directory listings").isEqualTo(404);
    } finally {
      serve.destroy();
      serve.waitFor();
    }
  }

  @Test
  @DisplayName("publish, republish (no-op), bump and publish (replace), downgrade (refused, nothing written)")
  void publishLifecycle() throws Exception {
    CliRun dryRun = run("publish-registry", "--dry-run");
    assertThat(dryRun.out()).contains("Dry run", "INSERT");
    assertThat(repo.resolve(".garden/store/dev/garden/v2/apps.json")).doesNotExist();

    assertThat(run("publish-registry").exitCode()).isZero();
    assertThat(run("publish-registry").out()).contains("3 unchanged — nothing to write");
    assertThat(run("bump", "app", "team-notes").exitCode()).isZero();
    assertThat(run("publish-registry").out()).contains("replaces 1.4.2");

    Path manifest = repo.resolve("services/service-vectordb/kamiwaza.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"2.3.0\"", "\"2.2.0\""));
    run("sync-compose");
    byte[] before = Files.readAllBytes(repo.resolve(".garden/store/dev/garden/v2/apps.json"));
    CliRun downgrade = run("publish-registry");

    assertThat(downgrade.exitCode()).isEqualTo(1);
    assertThat(downgrade.out() + downgrade.err()).contains("Cannot downgrade from 2.3.0 to 2.2.0");
    assertThat(Files.readAllBytes(repo.resolve(".garden/store/dev/garden/v2/apps.json"))).isEqualTo(before);
    assertThat(run("list-published").out()).contains("team-notes 1.4.3 >=0.8.0,<2.0.0\n",
        "service-vectordb 2.3.0 >=0.9.0\n");
    assertThat(repo.resolve("build/registry-backups/dev")).isDirectory();
    // The old toolchain's layout, which its documented `aws s3 sync build/registry-backups/dev/TS/ ...` restores.
    try (var stamps = Files.list(repo.resolve("build/registry-backups/dev"))) {
      assertThat(stamps.toList()).allSatisfy(stamp -> assertThat(stamp.resolve("apps.json")).isRegularFile());
    }
  }

  @Test
  @DisplayName("a local backup keeps the preview images its index refers to: the old restore (sync --delete of the"
      + " backup folder onto the live one) keeps them")
  void backupsKeepPreviews() throws Exception {
    Path manifest = repo.resolve("apps/team-notes/kamiwaza.json");
    Files.write(repo.resolve("apps/team-notes/shot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(manifest, Files.readString(manifest).replace("\"/garden/team-notes.png\"", "\"shot.png\""));
    assertThat(run("publish-registry").exitCode()).isZero();
    assertThat(run("bump", "app", "team-notes").exitCode()).isZero();
    assertThat(run("publish-registry").exitCode()).isZero();

    Path live = repo.resolve(".garden/store/dev/garden/v2/images/team-notes-shot.png");
    assertThat(live).isRegularFile();
    try (var stamps = Files.list(repo.resolve("build/registry-backups/dev"))) {
      assertThat(stamps.toList()).singleElement().satisfies(stamp -> assertThat(
          stamp.resolve("images/team-notes-shot.png")).hasBinaryContent(Files.readAllBytes(live)));
    }
  }

  @Test
  @DisplayName("force is for dev only; in dev it replaces every remote entry of the extension")
  void force() throws Exception {
    run("publish-registry");
    Path manifest = repo.resolve("apps/team-notes/kamiwaza.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"1.4.2\"", "\"1.0.0\""));
    run("sync-compose");

    assertThat(run("publish-registry", "--stage", "prod", "--force", "app", "team-notes").exitCode()).isEqualTo(2);
    CliRun forced = run("publish-registry", "--force", "app", "team-notes");

    assertThat(forced.exitCode()).isZero();
    assertThat(forced.out()).contains("FORCE");
    assertThat(run("list-published").out()).contains("team-notes 1.0.0");
  }

  @Test
  @DisplayName("a live lock is waited for (bounded), then reported with its holder and the command to remove it")
  void liveLock() throws Exception {
    run("publish-registry");
    Path lock = repo.resolve(".garden/store/dev/garden/v2/registry.lock");
    Files.writeString(lock, "{\"owner\":\"carol\",\"host\":\"ci-7\",\"pid\":99,\"pipeline\":\"p-9\","
        + "\"acquiredAt\":\"2026-11-25T08:00:00Z\",\"leaseExpiresAt\":\"2999-01-01T00:00:00Z\",\"fencingToken\":3}");

    CliRun blocked = run("publish-registry", "--lock-wait", "1");

    assertThat(blocked.exitCode()).isEqualTo(1);
    assertThat(blocked.out()).contains("waiting for the publish lock held by carol@ci-7 (pid 99, pipeline p-9)");
    assertThat(blocked.err()).contains("garden remove-publish-lock --stage dev --force");
    CliRun refused = run("remove-publish-lock");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("held by carol@ci-7 (pid 99, pipeline p-9)").contains("may still be running")
        .contains("--force");
    assertThat(run("remove-publish-lock", "--force").out()).contains("removed the publish lock of carol@ci-7");
    assertThat(run("publish-registry").exitCode()).isZero();
  }

  @Test
  @DisplayName("unpublish removes an entry; restore-registry puts the latest backup back")
  void unpublishAndRestore() {
    run("publish-registry");
    assertThat(run("unpublish", "tool-websearch").exitCode()).isZero();
    assertThat(run("list-published").out()).doesNotContain("tool-websearch");

    assertThat(run("restore-registry").exitCode()).isZero();
    assertThat(run("list-published").out()).contains("tool-websearch 0.6.1");
    assertThat(run("download-registry").exitCode()).isZero();
    assertThat(repo.resolve("build/downloaded-registry/dev/garden/v2/tools.json")).isRegularFile();
  }

  @Test
  @DisplayName("a repository with validation errors is not published; the refusal counts each error once and names it")
  void invalidRepositoryRefused() throws Exception {
    Path manifest = repo.resolve("services/service-vectordb/kamiwaza.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"risk_tier\": 0", "\"risk_tier\": 7"));
    Files.writeString(repo.resolve("tools/tool-websearch/kamiwaza.json"), "{ not json");

    CliRun run = run("publish-registry");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("Publish refused, nothing written: 2 validation error(s)",
        "services/service-vectordb: risk_tier must be 0, 1, or 2", "tools/tool-websearch: invalid JSON");
    assertThat(repo.resolve(".garden/store/dev/garden/v2/apps.json")).doesNotExist();
  }

  @Test
  @DisplayName("a direct publish of an empty registry is refused without --allow-empty, and the stage keeps its index")
  void emptyDirectPublishNeedsAllowEmpty() throws Exception {
    assertThat(run("publish-registry").exitCode()).isZero();
    for (String folder : List.of("apps", "services", "tools")) {
      try (Stream<Path> walk = Files.walk(repo.resolve(folder))) {
        walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(repo.resolve(folder)))
            .forEach(p -> p.toFile().delete());
      }
    }

    CliRun refused = run("publish-registry-direct");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("the local registry is empty").contains("--allow-empty");
    assertThat(published("dev")).hasSize(2);
    assertThat(run("publish-registry-direct", "--allow-empty").exitCode()).isZero();
    assertThat(published("dev")).isEmpty();
  }

  @Test
  @DisplayName("a preview image that links outside the extension is not copied into the registry: a path-escape finding")
  void previewLinkOutIsNotCopied() throws Exception {
    Path kamiwaza = repo.resolve("apps/team-notes/kamiwaza.json");
    String manifest = Files.readString(kamiwaza);
    Files.writeString(kamiwaza, manifest.replace("\"/garden/team-notes.png\"", "\"preview.png\""));
    Files.deleteIfExists(repo.resolve("apps/team-notes/preview.png"));
    Files.createSymbolicLink(repo.resolve("apps/team-notes/preview.png"), Path.of("/etc/passwd"));

    CliRun run = run("build-registry");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("team-notes: preview_image preview.png is a symbolic link leading outside");
    assertThat(repo.resolve("build/kamiwaza-extension-registry/garden/v2")).doesNotExist();
  }

  @Test
  @DisplayName("build-registry with one broken extension writes no registry at all, and package-registry refuses")
  void brokenExtensionLeavesNoPartialRegistry() throws Exception {
    assertThat(run("build-registry").exitCode()).isZero();
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    Files.writeString(manifest, "{ not json");

    CliRun build = run("build-registry");
    CliRun pack = run("package-registry");

    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(repo.resolve("build/kamiwaza-extension-registry/garden/v2")).doesNotExist();
    assertThat(pack.exitCode()).isEqualTo(1);
    assertThat(pack.err()).contains("no built registry").contains("run build-registry");
    assertThat(repo.resolve("dist")).satisfiesAnyOf(
        dist -> assertThat(dist).doesNotExist(),
        dist -> assertThat(Files.list(dist).filter(f -> f.toString().endsWith(".tar.gz"))).isEmpty());
  }

  private List<String> backups() throws Exception {
    Path dir = repo.resolve(".garden/store/dev/backups/dev");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      // A backup is its files; a folder store may leave a pruned backup's empty folders behind.
      return list.filter(stamp -> {
        try (Stream<Path> files = Files.walk(stamp)) {
          return files.anyMatch(Files::isRegularFile);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void publish() {
    CliRun publish = run("publish-registry");
    assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
  }

  private void bumpTool(String version) {
    CliRun bump = run("bump", "tool", "tool-websearch");
    assertThat(bump.exitCode()).as(bump.err()).isZero();
    assertThat(bump.out()).contains(version);
  }

  @Test
  @DisplayName("a corrupt index stops a publish with the way out; restore-registry puts the newest good backup back")
  void corruptIndexIsRecoverable() throws Exception {
    publish();
    bumpTool("0.6.2");
    publish();
    byte[] good = Files.readAllBytes(repo.resolve(".garden/store/dev/garden/v2/tools.json"));
    List<String> before = backups();
    Path tools = repo.resolve(".garden/store/dev/garden/v2/tools.json");
    Files.write(tools, java.util.Arrays.copyOf(good, good.length / 2));

    bumpTool("0.6.3");
    CliRun refused = run("publish-registry");
    CliRun restored = run("restore-registry");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out() + refused.err()).contains("garden/v2/tools.json").contains("is corrupt")
        .contains("garden restore-registry --stage dev");
    assertThat(backups()).as("no backup of the corrupt index").hasSize(before.size() + 1);
    assertThat(restored.exitCode()).as(restored.err()).isZero();
    JsonNode back = EventCodec.shared().mapper().readTree(tools.toFile());
    assertThat(back).extracting(e -> e.get("version").asText()).containsExactly("0.6.1");
  }

  @Test
  @DisplayName("a publish that changes nothing takes no backup, and only GARDEN_BACKUP_KEEP backups are kept")
  void backupsOnlyWhenWritingAndPruned() throws Exception {
    env = Map.of("GARDEN_HOST", "test", "GARDEN_BACKUP_KEEP", "2");
    publish();
    List<String> first = backups();
    publish();
    assertThat(backups()).isEqualTo(first);

    for (String version : List.of("0.6.2", "0.6.3", "0.6.4", "0.6.5")) {
      bumpTool(version);
      publish();
    }

    assertThat(backups()).hasSize(2);
  }

  @Test
  @DisplayName("a second --force is a usage error, not a silent choice of one of them")
  void secondForceIsAUsageError() {
    CliRun run = run("publish-registry", "--force", "tool", "tool-websearch", "--force", "app", "team-notes");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give --force once, as --force TYPE NAME");
  }

  @Test
  @DisplayName("a lock whose holder on this host has died is taken over at once, saying why, with no pipeline null")
  void deadLocalHolderIsTakenOver() throws Exception {
    publish();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path lock = repo.resolve(".garden/store/dev/garden/v2/registry.lock");
    Files.writeString(lock, "{\"owner\":\"dave\",\"host\":\"test\",\"pid\":" + gone.pid() + ","
        + "\"acquiredAt\":\"2026-11-25T08:00:00Z\",\"leaseExpiresAt\":\"2999-01-01T00:00:00Z\",\"fencingToken\":3}");

    CliRun run = run("publish-registry", "--lock-wait", "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("took over the publish lock of dave@test (pid " + gone.pid() + "): its process")
        .doesNotContain("pipeline null");
  }

  @ParameterizedTest(name = "{0}: images in {1}")
  @CsvSource({"v2, v2, images/", "v1, default, app-garden-images/"})
  @DisplayName("publish uploads the preview images the index refers to, and download-registry brings them back")
  void previewImagesTravelWithTheIndex(String version, String dir, String imagesFolder) throws Exception {
    Path kamiwaza = repo.resolve("apps/team-notes/kamiwaza.json");
    Files.writeString(kamiwaza, Files.readString(kamiwaza).replace("\"/garden/team-notes.png\"", "\"preview.png\""));
    Files.write(repo.resolve("apps/team-notes/preview.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    CliRun publish = run("publish-registry", "--repo-version", version);
    assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
    CliRun download = run("download-registry", "--repo-version", version);

    JsonNode notes = EventCodec.shared().mapper()
        .readTree(repo.resolve(".garden/store/dev/garden/" + dir + "/apps.json").toFile()).get(1);
    String image = notes.get("preview_image").asText();
    assertThat(image).startsWith(imagesFolder);
    assertThat(repo.resolve(".garden/store/dev/garden/" + dir).resolve(image)).exists();
    assertThat(download.exitCode()).isZero();
    assertThat(repo.resolve("build/downloaded-registry/dev/garden/" + dir).resolve(image))
        .hasBinaryContent(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
  }

  @Test
  @DisplayName("a publish that would leave the index pointing at a missing image is refused, nothing written")
  void missingImageIsRefused() throws Exception {
    publish();
    Path apps = repo.resolve(".garden/store/dev/garden/v2/apps.json");
    String ghost = "{\"name\":\"ghost\",\"version\":\"1.0.0\",\"preview_image\":\"images/ghost.png\"}";
    String index = Files.readString(apps);
    Files.writeString(apps, index.replaceFirst("\\[", "[" + ghost + ","));
    byte[] before = Files.readAllBytes(apps);
    bumpTool("0.6.2");

    CliRun run = run("publish-registry");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("images/ghost.png").contains("missing");
    assertThat(Files.readAllBytes(apps)).isEqualTo(before);
  }
}
