package io.garden.extension;

import io.garden.extension.model.ExtensionType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaffoldTest {

  @TempDir
  Path root;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"APP, notes", "SERVICE, service-cache", "TOOL, tool-search", "TOOL, mcp-files"})
  @DisplayName("a new extension has its files and, once synced, passes validation with no finding at all")
  void newExtensionValidates(ExtensionType type, String name) {
    Path dir = Scaffold.create(root, type, name);
    Selection one = Selection.of(new TestRepo(root).discovery(), List.of(type.folder() + "/" + name));

    assertThat(ComposeSyncer.run(one, false)).singleElement().extracting(SyncResult::outcome)
        .isEqualTo(SyncOutcome.WRITTEN);
    assertThat(RepositoryValidator.validate(one).extensions()).singleElement()
        .satisfies(r -> assertThat(r.findings()).isEmpty());
    for (String file : List.of("kamiwaza.json", "Dockerfile", "docker-compose.yml", "app.py",
        "tests/test_health.py", "README.md", "pyproject.toml")) {
      assertThat(dir.resolve(file)).isRegularFile();
    }
    assertThat(Files.exists(dir.resolve("app.py"))).isTrue();
  }

  @Test
  @DisplayName("names are checked against the type's prefix before anything is written")
  void prefixes() {
    assertThatThrownBy(() -> Scaffold.create(root, ExtensionType.SERVICE, "cache"))
        .hasMessageContaining("must start with 'service-'");
    assertThatThrownBy(() -> Scaffold.create(root, ExtensionType.TOOL, "search"))
        .hasMessageContaining("must start with 'tool-' or 'mcp-'");
    assertThatThrownBy(() -> Scaffold.create(root, ExtensionType.APP, "../escape"))
        .hasMessageContaining("Invalid extension name");
    assertThat(root.resolve("services")).doesNotExist();
  }

  @Test
  @DisplayName("an existing extension is never overwritten")
  void existing() {
    Scaffold.create(root, ExtensionType.APP, "notes");
    assertThatThrownBy(() -> Scaffold.create(root, ExtensionType.APP, "notes"))
        .hasMessage("apps/notes already exists; choose another name");
  }
}
