package io.garden.extension;

import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Finding;
import io.garden.extension.compose.ComposeRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sync-compose output, byte for byte, against reviewed golden files in {@code src/test/resources/golden/}.
 * After a deliberate change, regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class ComposeSyncGoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @TempDir
  Path repo;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"edge-cases, APP, edge-cases", "tool-with-image, TOOL, tool-edge", "manual, APP, manual"})
  @DisplayName("sync output matches the golden file, a second run changes nothing, and the output validates")
  void golden(String caseName, ExtensionType type, String name) throws IOException {
    Path ext = repo.resolve(type.folder()).resolve(name);
    copy(GOLDEN.resolve(caseName), ext);
    Path expected = GOLDEN.resolve(caseName).resolve("expected.appgarden.yml");

    SyncResult first = ComposeSyncer.sync(LoadedExtension.load(new TestRepo(repo).ref(type, name)), false);
    String written = Files.readString(ext.resolve(ComposeRules.FILE));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, written);
    }

    assertThat(first.outcome()).isEqualTo(SyncOutcome.WRITTEN);
    assertThat(written).isEqualTo(Files.readString(expected));
    SyncResult second = ComposeSyncer.sync(LoadedExtension.load(new TestRepo(repo).ref(type, name)), false);
    assertThat(second.outcome()).isEqualTo(SyncOutcome.UP_TO_DATE);
    assertThat(Files.readString(ext.resolve(ComposeRules.FILE))).isEqualTo(written);
    ExtensionReport report = ExtensionValidator.validate(LoadedExtension.load(new TestRepo(repo).ref(type, name)));
    assertThat(report.findings()).filteredOn(Finding::isError).isEmpty();
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals("expected.appgarden.yml")) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      }
    }
  }
}
