package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local-mode commands as a user runs them: output, files and exit codes. */
class LocalCommandsTest {

  @TempDir
  Path repo;

  @BeforeEach
  void copyExamples() throws Exception {
    CliRun.copyOfExamples(repo);
  }

  @Test
  @DisplayName("validate prints the old style and exits 0 when everything passes")
  void validatePasses() {
    CliRun run = CliRun.of("validate", "--repo", repo.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("✅ apps/team-notes\n", "✅ services/service-vectordb\n", "✅ tools/tool-websearch\n")
        .contains("3 extension(s) validated: 3 passed, 0 failed");
  }

  @Test
  @DisplayName("validate lists each error under ❌ with its file, line and column, and exits 1")
  void validateFails() throws Exception {
    Path manifest = repo.resolve("services/service-vectordb/kamiwaza.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"risk_tier\": 0", "\"risk_tier\": 7"));

    CliRun run = CliRun.of("validate", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    int line = lineOf(manifest, "\"risk_tier\"");
    assertThat(run.out()).contains("❌ services/service-vectordb:\n   - risk_tier must be 0, 1, or 2 (kamiwaza.json:"
        + line + ":3)\n");
  }

  @Test
  @DisplayName("validate --format json gives findings with severity, rule, file, line, column, path and service")
  void validateJson() throws Exception {
    Path appgarden = repo.resolve("apps/team-notes/docker-compose.appgarden.yml");
    Files.writeString(appgarden, Files.readString(appgarden).replace("- '3000'", "- '3000:3000'"));

    CliRun run = CliRun.of("validate", "--format", "json", "--repo", repo.toString(), "app", "team-notes");

    JsonNode json = EventCodec.shared().mapper().readTree(run.out());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json.get("passed").asBoolean()).isFalse();
    JsonNode finding = json.get("extensions").get(0).get("findings").get(0);
    assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
    assertThat(finding.get("rule").asText()).isEqualTo("compose.host-port");
    assertThat(finding.get("service").asText()).isEqualTo("frontend");
    assertThat(finding.get("file").asText()).isEqualTo("docker-compose.appgarden.yml");
    assertThat(finding.get("line").asInt()).isEqualTo(lineOf(appgarden, "'3000:3000'"));
    assertThat(finding.get("column").asInt()).isPositive();
    assertThat(finding.get("path").asText()).isEqualTo("/services/frontend/ports/0");
  }

  /** 1-based number of the first line of {@code file} containing {@code text}. */
  private static int lineOf(Path file, String text) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  @DisplayName("sync-compose --check fails on a stale file; sync-compose fixes it; --check then passes")
  void syncCheckAndWrite() throws Exception {
    Path compose = repo.resolve("apps/team-notes/docker-compose.yml");
    Files.writeString(compose, Files.readString(compose).replace("POSTGRES_DB: notes", "POSTGRES_DB: notes2"));

    CliRun check = CliRun.of("sync-compose", "--check", "--repo", repo.toString());
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("❌ apps/team-notes:\n   - docker-compose.appgarden.yml is out of date");

    assertThat(CliRun.of("sync-compose", "--repo", repo.toString()).out())
        .contains("📝 apps/team-notes: wrote docker-compose.appgarden.yml");
    assertThat(CliRun.of("sync-compose", "--check", "--repo", repo.toString()).exitCode()).isZero();
    assertThat(Files.readString(repo.resolve("apps/team-notes/docker-compose.appgarden.yml")))
        .contains("POSTGRES_DB: notes2");
  }

  @Test
  @DisplayName("bump raises the version in kamiwaza.json and re-syncs the image tags")
  void bump() throws Exception {
    CliRun run = CliRun.of("bump", "--level", "minor", "--repo", repo.toString(), "app", "team-notes");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("apps/team-notes: 1.4.2 → 1.5.0");
    assertThat(Files.readString(repo.resolve("apps/team-notes/kamiwaza.json"))).contains("\"version\": \"1.5.0\"");
    assertThat(Files.readString(repo.resolve("apps/team-notes/docker-compose.appgarden.yml")))
        .contains("image: kamiwazaai/team-notes-backend:1.5.0").doesNotContain("1.4.2");
    assertThat(CliRun.of("validate", "--repo", repo.toString()).exitCode()).isZero();
  }

  @Test
  @DisplayName("new creates an extension that validates as created")
  void newExtension() {
    CliRun run = CliRun.of("new", "--repo", repo.toString(), "tool", "tool-calculator");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("🌱 created tools/tool-calculator", "✅ tools/tool-calculator");
    assertThat(repo.resolve("tools/tool-calculator/docker-compose.appgarden.yml")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate app", "bump --level huge app team-notes", "validate widget x",
      "sync-compose --bogus", "validate --format xml"})
  @DisplayName("usage errors exit 2 with a message")
  void usageErrors(String args) {
    String[] argv = (args + " --repo " + repo).split(" ");
    CliRun run = CliRun.of(argv);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isNotBlank();
  }

  @Test
  @DisplayName("a bad extension name on the command line is one clear finding, not a stack trace")
  void traversalName() {
    CliRun run = CliRun.of("validate", "--repo", repo.toString(), "app", "../../etc");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("❌ apps/../../etc:\n   - Invalid extension name '../../etc'");
    assertThat(run.out() + run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  @DisplayName("a standalone component without a cluster to join says which variable to set")
  void componentsNeedACluster() {
    CliRun gateway = CliRun.of(Map.of("GARDEN_HOST", "test", "GARDEN_API_TOKEN", "t"), "gateway");
    CliRun worker = CliRun.of("worker", "validate");

    assertThat(gateway.exitCode()).isEqualTo(2);
    assertThat(gateway.err()).contains("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(worker.exitCode()).isEqualTo(2);
    assertThat(worker.err()).contains("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  @DisplayName("garden gateway refuses to start without an API token, and an unknown worker role is a usage error")
  void gatewayNeedsATokenAndWorkersAKnownRole() {
    CliRun gateway = CliRun.of(Map.of("GARDEN_HOST", "test", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "gateway");
    CliRun worker = CliRun.of(Map.of("GARDEN_HOST", "test", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "worker",
        "deploy");

    assertThat(gateway.exitCode()).isEqualTo(2);
    assertThat(gateway.err()).contains("GARDEN_API_TOKEN");
    assertThat(worker.exitCode()).isEqualTo(2);
    assertThat(worker.err()).contains("unknown worker 'deploy'; expected one of: validate, build, registry");
  }

  @Test
  @DisplayName("a kamiwaza.json that links to a file outside the extension is a path-escape finding, not validated")
  void manifestLinkOutIsAFinding() throws Exception {
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    Path outside = Files.writeString(repo.resolveSibling(repo.getFileName() + "-elsewhere.json"),
        Files.readString(manifest));
    Files.delete(manifest);
    Files.createSymbolicLink(manifest, outside);

    CliRun run = CliRun.of("validate", "--format", "json", "--repo", repo.toString(), "tool", "tool-websearch");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode finding = EventCodec.shared().mapper().readTree(run.out()).at("/extensions/0/findings/0");
    assertThat(finding.path("rule").asText()).isEqualTo("extension.path-escape");
    assertThat(finding.path("file").asText()).isEqualTo("kamiwaza.json");
    Files.delete(outside);
  }

  @Test
  @DisplayName("a preview image that is a link out of the extension is an extension.path-escape finding in validate")
  void previewLinkOutIsAFinding() throws Exception {
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    Path outside = Files.write(repo.resolveSibling(repo.getFileName() + "-elsewhere.png"), new byte[] {1, 2, 3});
    Files.createSymbolicLink(repo.resolve("tools/tool-websearch/preview.png"), outside);
    Files.writeString(manifest, Files.readString(manifest).replaceFirst("\\{", "{\"preview_image\": \"preview.png\","));

    CliRun run = CliRun.of("validate", "--format", "json", "--repo", repo.toString(), "tool", "tool-websearch");

    assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
    JsonNode findings = EventCodec.shared().mapper().readTree(run.out()).at("/extensions/0/findings");
    assertThat(findings).anySatisfy(f -> {
      assertThat(f.path("rule").asText()).isEqualTo("extension.path-escape");
      assertThat(f.path("message").asText()).contains("preview_image 'preview.png'", "outside the extension");
    });
    Files.delete(outside);
  }

  @Test
  @DisplayName("a problem with a file as a whole names the file even without a line (empty); a bad byte, its line")
  void fileProblemsNameTheFile() throws Exception {
    Files.writeString(repo.resolve("apps/team-notes/kamiwaza.json"), "");
    Files.write(repo.resolve("tools/tool-websearch/docker-compose.yml"),
        new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3});

    CliRun run = CliRun.of("validate", "--repo", repo.toString());
    CliRun json = CliRun.of("validate", "--format", "json", "--repo", repo.toString());

    assertThat(run.out()).contains("   - file is empty; expected a JSON object (kamiwaza.json)")
        .contains("not valid UTF-8 text (first bad byte at offset 8)").contains("(docker-compose.yml:2)");
    JsonNode report = EventCodec.shared().mapper().readTree(json.out());
    assertThat(report.findValues("findings").stream().flatMap(f -> java.util.stream.StreamSupport.stream(
        f.spliterator(), false)).filter(f -> f.path("message").asText().contains("UTF-8")))
        .singleElement().satisfies(f -> {
          assertThat(f.path("file").asText()).isEqualTo("docker-compose.yml");
          assertThat(f.path("line").asInt()).isEqualTo(2);
        });
  }

  @Test
  @DisplayName("bump moves every version the extension carries: kamiwaza.json, its own compose image tags and"
      + " pyproject.toml; and a failed bump moves none of them")
  void bumpMovesEveryVersion() throws Exception {
    Path dir = repo.resolve("tools/tool-websearch");
    Path compose = dir.resolve("docker-compose.yml"); // its image is kamiwazaai/tool-websearch:v0.6.1
    Path pyproject = Files.writeString(dir.resolve("pyproject.toml"),
        "[project]\nname = \"tool-websearch\"\nversion = \"0.6.1\"\n");

    CliRun run = CliRun.of("bump", "--repo", repo.toString(), "tool", "tool-websearch");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("0.6.1 → 0.6.2", "also moved in docker-compose.yml", "also moved in pyproject.toml");
    assertThat(Files.readString(compose)).contains("kamiwazaai/tool-websearch:v0.6.2").doesNotContain("0.6.1");
    assertThat(pyproject).hasContent("[project]\nname = \"tool-websearch\"\nversion = \"0.6.2\"\n");
  }

  @Test
  @DisplayName("a bump whose re-sync fails leaves kamiwaza.json as it was")
  void bumpIsAllOrNothing() throws Exception {
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    String before = Files.readString(manifest);
    Files.writeString(repo.resolve("tools/tool-websearch/docker-compose.yml"), "services: [not, a, mapping\n");

    CliRun run = CliRun.of("bump", "--repo", repo.toString(), "tool", "tool-websearch");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("not bumped, kamiwaza.json is unchanged at 0.6.1");
    assertThat(manifest).hasContent(before);
  }

  @Test
  @DisplayName("two bumps of one extension at once both count: 0.6.1 becomes 0.6.3, never 0.6.2 twice")
  void concurrentBumpsBothCount() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Callable<CliRun> bump = () -> CliRun.of("bump", "--repo", repo.toString(), "tool",
          "tool-websearch");
      List<CliRun> runs = new java.util.ArrayList<>();
      for (var f : pool.invokeAll(List.of(bump, bump))) {
        runs.add(f.get());
      }

      assertThat(runs).allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
      assertThat(runs.stream().map(CliRun::out).toList()).anySatisfy(o -> assertThat(o).contains("0.6.1 → 0.6.2"))
          .anySatisfy(o -> assertThat(o).contains("0.6.2 → 0.6.3"));
      assertThat(Files.readString(repo.resolve("tools/tool-websearch/kamiwaza.json"))).contains("\"0.6.3\"");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a version part too large to raise is a usage error in words")
  void hugeVersionIsAUsageError() throws Exception {
    Path manifest = repo.resolve("tools/tool-websearch/kamiwaza.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"0.6.1\"", "\"0.6.99999999999999999999\""));

    CliRun run = CliRun.of("bump", "--repo", repo.toString(), "tool", "tool-websearch");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("has a part too large to raise");
  }

  @Test
  @DisplayName("a folder with none of apps/, services/, tools/ is a usage error, not a passing validation")
  void notARepositoryIsAUsageError() throws Exception {
    Path empty = Files.createDirectories(repo.resolve("not-a-repository"));

    CliRun validate = CliRun.of("validate", "--repo", empty.toString());
    CliRun direct = CliRun.of("publish-registry-direct", "--repo", empty.toString());

    assertThat(validate.exitCode()).isEqualTo(2);
    assertThat(validate.err()).startsWith("Error: not an extensions repository: " + empty);
    assertThat(direct.exitCode()).isEqualTo(2);
    assertThat(empty.resolve(".garden")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate", "sync-compose", "bump", "new", "up", "ci-pipeline", "gateway", "worker", "tail", "status"})
  @DisplayName("every command explains itself with --help")
  void help(String command) {
    CliRun run = CliRun.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: garden " + command);
  }
}
