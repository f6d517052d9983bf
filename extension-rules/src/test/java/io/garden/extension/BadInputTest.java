package io.garden.extension;

import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Finding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Untrusted files and names: each gives one clear finding, and the run goes on with the other extensions. */
class BadInputTest {

  @TempDir
  Path root;

  private TestRepo repo;

  @BeforeEach
  void goodNeighbour() {
    repo = new TestRepo(root).validApp("good-app");
  }

  private ExtensionReport only(RepositoryReport report, String id) {
    assertThat(report.extensions()).extracting(ExtensionReport::extension).contains("apps/good-app", id);
    assertThat(report.extensions()).filteredOn(r -> r.extension().equals("apps/good-app"))
        .singleElement().matches(ExtensionReport::passed, "the good neighbour still passes");
    return report.extensions().stream().filter(r -> r.extension().equals(id)).findFirst().orElseThrow();
  }

  private Finding singleError(String id) {
    ExtensionReport report = only(RepositoryValidator.validate(Selection.all(repo.discovery())), id);
    List<Finding> errors = report.findings().stream().filter(Finding::isError).toList();
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  private void appWith(String name, String manifest, String compose) {
    repo.file("apps/" + name + "/kamiwaza.json", manifest);
    if (compose != null) {
      repo.file("apps/" + name + "/docker-compose.yml", compose);
      repo.file("apps/" + name + "/docker-compose.appgarden.yml", """
          services:
            web:
              image: kamiwazaai/%s:1.0.0
              extra_hosts: ["host.docker.internal:host-gateway"]
              deploy: {resources: {limits: {cpus: "1"}}}
          """.formatted(name));
    }
  }

  @Test
  @DisplayName("an empty kamiwaza.json")
  void emptyManifest() {
    appWith("empty", "", null);
    repo.file("apps/empty/docker-compose.appgarden.yml", "services: {}\n");
    Finding f = findingOn("apps/empty", "kamiwaza.json");
    assertThat(f.message()).isEqualTo("file is empty; expected a JSON object");
  }

  @Test
  @DisplayName("invalid JSON names the line")
  void invalidJson() {
    appWith("broken-json", "{\n  \"name\": \"broken-json\",\n  \"version\": 1.0.0\n}\n", null);
    repo.file("apps/broken-json/docker-compose.appgarden.yml", "services: {}\n");
    Finding f = findingOn("apps/broken-json", "kamiwaza.json");
    assertThat(f.line()).isEqualTo(3);
    assertThat(f.message()).startsWith("invalid JSON:");
  }

  @Test
  @DisplayName("JSON nested 5,000 deep is refused in the user's words, not the parser's internals")
  void deeplyNestedJson() {
    appWith("deep", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", null);
    repo.file("apps/deep/docker-compose.appgarden.yml", "services: {}\n");
    Finding f = findingOn("apps/deep", "kamiwaza.json");
    assertThat(f.message()).contains("nested or sized beyond").doesNotContain("StreamReadConstraints");
  }

  @Test
  @DisplayName("invalid YAML names the line")
  void invalidYaml() {
    appWith("broken-yaml", TestRepo.manifest(ExtensionType.APP, "broken-yaml", "1.0.0", ""),
        "services:\n  web:\n    image: x\n   ports: [1\n");
    Finding f = singleError("apps/broken-yaml");
    assertThat(f.rule()).isEqualTo("file.invalid");
    assertThat(f.line()).isGreaterThan(0);
    assertThat(f.message()).startsWith("invalid YAML:");
  }

  @Test
  @DisplayName("a YAML billion-laughs file is refused by the alias limit, quickly")
  void billionLaughs() {
    StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
          .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p)
          .append(",*").append(p).append(",*").append(p).append("]\n");
    }
    appWith("laughs", TestRepo.manifest(ExtensionType.APP, "laughs", "1.0.0", ""), bomb.toString());
    Finding f = singleError("apps/laughs");
    assertThat(f.message()).contains("invalid YAML").containsIgnoringCase("aliases");
  }

  @Test
  @DisplayName("one long string behind 1,000 aliases is refused by what it expands to, and sync-compose writes nothing")
  void aliasExpansionBomb() {
    StringBuilder bomb = new StringBuilder("x-big: &big \"").append("A".repeat(200_000)).append("\"\n")
        .append("services:\n  web:\n    image: nginx:1.27\n    environment:\n");
    for (int i = 0; i < 1000; i++) {
      bomb.append("      - *big\n");
    }
    appWith("bomb", TestRepo.manifest(ExtensionType.APP, "bomb", "1.0.0", ""), bomb.toString());

    Selection bombOnly = Selection.of(repo.discovery(), List.of("apps/bomb"));
    java.util.List<SyncResult> synced = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20), () -> ComposeSyncer.run(bombOnly, false),
        "the bomb must be refused, not expanded");
    // Memory: everything this thread allocates refusing it (garbage included), against the 3.5 GB and 1 GB file
    // expanding it took. Most of it is SnakeYAML scanning the one 200,000-character string (about 80 MB of
    // short-lived buffers); the 1,000 aliases add almost nothing. A bound, not a timing.
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    SyncResult again = ComposeSyncer.sync(LoadedExtension.load(bombOnly.extensions().get(0)), false);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(again.outcome()).isEqualTo(SyncOutcome.FAILED);
    assertThat(allocated).as("bytes allocated while refusing the bomb").isLessThan(256L << 20);

    assertThat(synced).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(SyncOutcome.FAILED);
      assertThat(r.findings()).extracting(Finding::message).anySatisfy(m ->
          assertThat(m).contains("expand to more than 4 MB"));
    });
    assertThat(root.resolve("apps/bomb/docker-compose.appgarden.yml")).content()
        .doesNotContain("AAAA");
  }

  @Test
  @DisplayName("sync-compose never writes a file its own validate would reject, and --check right after agrees")
  void syncNeverWritesWhatValidateRejects() {
    StringBuilder flow = new StringBuilder("services:\n  web:\n    image: nginx:1.27\n    environment: [");
    // Flow style is the terse one: 27,000 entries of 72 characters fit in 2 MB, their block-style output does not.
    for (int i = 0; i < 27_000; i++) {
      flow.append(i == 0 ? "" : ", ").append(String.format("K%05d=", i)).append("v".repeat(65));
    }
    flow.append("]\n");
    appWith("wordy", TestRepo.manifest(ExtensionType.APP, "wordy", "1.0.0", ""), flow.toString());
    Selection wordy = Selection.of(repo.discovery(), List.of("apps/wordy"));

    SyncResult synced = ComposeSyncer.run(wordy, false).get(0);
    SyncResult checked = ComposeSyncer.run(wordy, true).get(0);

    assertThat(synced.outcome()).isEqualTo(SyncOutcome.FAILED);
    assertThat(synced.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("sync.too-large");
      assertThat(f.message()).contains("above the 2 MB limit");
    });
    assertThat(root.resolve("apps/wordy/docker-compose.appgarden.yml")).content().doesNotContain("K26999");
    assertThat(checked.outcome()).isEqualTo(SyncOutcome.FAILED);
    assertThat(checked.findings()).isEqualTo(synced.findings());
  }

  @Test
  @DisplayName("two extensions with one name are an error on each, naming the other folder")
  void duplicateNames() {
    repo.file("tools/good-app/kamiwaza.json", TestRepo.manifest(ExtensionType.TOOL, "good-app", "1.0.0", ""));

    RepositoryReport report = RepositoryValidator.validate(Selection.all(repo.discovery()));

    assertThat(report.extensions()).filteredOn(r -> r.extension().endsWith("/good-app")).hasSize(2)
        .allSatisfy(r -> assertThat(r.findings()).anySatisfy(f -> {
          assertThat(f.rule()).isEqualTo("manifest.name-duplicate");
          assertThat(f.message()).contains("name 'good-app' is also the name of "
              + (r.extension().startsWith("apps") ? "tools/good-app" : "apps/good-app"));
        }));
  }

  @Test
  @DisplayName("a 50 MB file is refused by size before it is read")
  void hugeFile() throws Exception {
    appWith("huge", TestRepo.manifest(ExtensionType.APP, "huge", "1.0.0", ""), "services: {}\n");
    try (RandomAccessFile f = new RandomAccessFile(root.resolve("apps/huge/docker-compose.appgarden.yml").toFile(),
        "rw")) {
      f.setLength(50L * 1024 * 1024);
    }
    Finding f = findingOn("apps/huge", "docker-compose.appgarden.yml");
    assertThat(f.message()).isEqualTo("file is 50.0 MB, above the 2 MB limit for extension files");
  }

  @Test
  @DisplayName("an extension named ../../etc is refused with a clear finding, the others are still validated")
  void pathTraversalName() {
    RepositoryReport report = RepositoryValidator.validate(
        Selection.of(repo.discovery(), List.of("apps/../../etc", "apps/good-app")));

    ExtensionReport bad = only(report, "apps/../../etc");
    assertThat(bad.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("extension.invalid");
      assertThat(f.message()).startsWith("Invalid extension name '../../etc'");
    });
  }

  @Test
  @DisplayName("a symlinked extension folder that points outside the repository is not followed")
  void symlinkOutside(@TempDir Path outside) throws Exception {
    Files.createDirectories(root.resolve("apps"));
    Files.createSymbolicLink(root.resolve("apps/escape"), outside);

    ExtensionReport bad = only(RepositoryValidator.validate(Selection.all(repo.discovery())), "apps/escape");
    assertThat(bad.findings()).singleElement().extracting(Finding::message).asString()
        .contains("points outside the repository");
  }

  @Test
  @DisplayName("a missing type folder is simply empty (the old --all crashed)")
  void missingTypeFolders() {
    RepositoryReport report = RepositoryValidator.validate(Selection.all(repo.discovery()));
    assertThat(report.extensions()).extracting(ExtensionReport::extension).containsExactly("apps/good-app");
  }

  private Finding findingOn(String id, String file) {
    ExtensionReport report = only(RepositoryValidator.validate(Selection.all(repo.discovery())), id);
    List<Finding> onFile = report.findings().stream().filter(f -> file.equals(f.file()) && f.isError()).toList();
    assertThat(onFile).hasSize(1);
    assertThat(onFile.get(0).rule()).isEqualTo("file.invalid");
    return onFile.get(0);
  }
}
