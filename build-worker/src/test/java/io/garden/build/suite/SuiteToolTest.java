package io.garden.build.suite;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteToolTest {

  @Test
  @DisplayName("the suite is found from the extension's files: go.mod, then package.json, then Python's files")
  void suiteFromFiles(@TempDir Path dir) throws Exception {
    assertThat(SuiteTool.byFiles(dir)).isEmpty();
    Files.writeString(dir.resolve("pyproject.toml"), "[project]\n");
    assertThat(SuiteTool.byFiles(dir)).contains(SuiteTool.PYTEST);
    Files.writeString(dir.resolve("package.json"), "{}");
    assertThat(SuiteTool.byFiles(dir)).contains(SuiteTool.NPM);
    Files.writeString(dir.resolve("go.mod"), "module x\n");
    assertThat(SuiteTool.byFiles(dir)).contains(SuiteTool.GO);
  }

  @Test
  @DisplayName("a stage named test is recognised in any case and after FROM flags, and only a stage named test")
  void testStage() {
    assertThat(SuiteTool.hasTestStage("FROM python:3.12 AS base\nFROM base AS test\nCMD [\"pytest\"]\n")).isTrue();
    assertThat(SuiteTool.hasTestStage("from --platform=linux/amd64 python:3.12 as TEST\n")).isTrue();
    assertThat(SuiteTool.hasTestStage("FROM python:3.12 AS tests\n")).isFalse();
    assertThat(SuiteTool.hasTestStage("FROM test\n")).isFalse();
    assertThat(SuiteTool.hasTestStage("# FROM x AS test\nFROM y\n")).isFalse();
  }

  @Test
  @DisplayName("the generated recipe installs while building and runs the suite as its command")
  void recipe() {
    String pytest = TestRecipe.dockerfile(SuiteTool.PYTEST, "localhost/py:1");
    assertThat(pytest).startsWith("# Written by garden").contains("FROM localhost/py:1\n")
        .contains("COPY . .").contains("-r requirements.txt").endsWith("CMD [\"python3\", \"-m\", \"pytest\", \"-q\"]\n");
    assertThat(TestRecipe.dockerfile(SuiteTool.NPM, "node:22-slim")).contains("npm ci")
        .contains("CMD [\"npm\", \"test\", \"--silent\"]");
    assertThat(TestRecipe.dockerfile(SuiteTool.GO, "golang:1.23")).contains("go mod download")
        .contains("CMD [\"go\", \"test\", \"./...\"]");
    assertThatThrownBy(() -> TestRecipe.dockerfile(SuiteTool.TEST_STAGE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the sandbox is strict by default: no network, 1 GiB, 2 CPUs, 10 minutes")
  void strictDefaults() {
    TestSandbox sandbox = TestSandbox.fromEnv(Map.of());
    assertThat(sandbox.network()).isEqualTo("none");
    assertThat(sandbox.memoryMb()).isEqualTo(1024);
    assertThat(sandbox.cpus()).isEqualTo(2);
    assertThat(sandbox.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(sandbox.imageFor(SuiteTool.PYTEST)).isEqualTo("python:3.12-slim");
    assertThat(sandbox.describe()).isEqualTo("no network, 1024 MB, 2 CPUs, 600 s");
  }

  @Test
  @DisplayName("a bad sandbox setting refuses, naming the variable and what it must be")
  void badSettingsRefuse() {
    assertThatThrownBy(() -> TestSandbox.fromEnv(Map.of("GARDEN_TEST_NETWORK", "bridge")))
        .hasMessage("GARDEN_TEST_NETWORK must be none (the default) or host, was 'bridge'");
    assertThatThrownBy(() -> TestSandbox.fromEnv(Map.of("GARDEN_TEST_MEMORY_MB", "8")))
        .hasMessage("GARDEN_TEST_MEMORY_MB must be megabytes, at least 64, was '8'");
    assertThat(TestSandbox.fromEnv(Map.of("GARDEN_TEST_IMAGE_PYTHON", "localhost/py:1")).imageFor(SuiteTool.PYTEST))
        .isEqualTo("localhost/py:1");
  }

  @Test
  @DisplayName("a test stage runs what it names itself (CMD or ENTRYPOINT in the stage), not what it inherits")
  void testStageMustNameItsCommand() {
    String base = "FROM scratch AS base\nCMD [\"/serve\"]\n\n";
    assertThat(SuiteTool.testStageRuns(base + "FROM base AS test\nCOPY t /t\nCMD [\"/bin/sh\", \"/t\"]\n"
        + "FROM base\n")).isTrue();
    assertThat(SuiteTool.testStageRuns(base + "FROM base AS test\nENTRYPOINT [\"pytest\"]\n")).isTrue();
    assertThat(SuiteTool.testStageRuns(base + "FROM base AS test\nRUN pytest\nFROM base\nCMD [\"x\"]\n"))
        .as("the CMD after the next FROM is another stage's").isFalse();
    assertThat(SuiteTool.testStageRuns(base + "FROM base AS test\nRUN pytest\n")).isFalse();
    assertThat(SuiteTool.testStageRuns("FROM scratch\nCMD [\"x\"]\n")).as("no test stage").isFalse();
  }
}
