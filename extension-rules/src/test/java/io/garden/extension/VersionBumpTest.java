package io.garden.extension;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionBumpTest {

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource({"1.2.3, PATCH, 1.2.4", "1.2.3, MINOR, 1.3.0", "1.2.3, MAJOR, 2.0.0", "0.9.9-rc.1, PATCH, 0.9.10",
      "1.0.0+build.7, MINOR, 1.1.0"})
  @DisplayName("each level raises its part and resets the lower ones")
  void levels(String from, VersionBump.Level level, String to) {
    assertThat(VersionBump.next(from, level)).isEqualTo(to);
  }

  @Test
  @DisplayName("a version that is not semantic cannot be bumped")
  void invalid() {
    assertThatThrownBy(() -> VersionBump.next("v1.2", VersionBump.Level.PATCH))
        .hasMessage("Invalid version format: v1.2");
    assertThatThrownBy(() -> VersionBump.Level.parse("huge"))
        .hasMessage("Error: Invalid level 'huge'. Must be: major, minor, or patch");
  }

  @Test
  @DisplayName("the rewrite changes only the version, keeping the author's formatting")
  void rewriteKeepsFormatting() {
    String json = "{\n    \"name\":\"x\",   \"version\" :  \"1.2.3\",\n  \"tags\": [\"1.2.3\"]\n}\n";

    assertThat(VersionBump.rewrite(json, "1.2.3", "1.2.4"))
        .isEqualTo("{\n    \"name\":\"x\",   \"version\" :  \"1.2.4\",\n  \"tags\": [\"1.2.3\"]\n}\n");
  }

  @Test
  @DisplayName("an image field tagged with the old version moves with it; another tag stays")
  void taggedImageMovesWithTheVersion() {
    String json = "{\n  \"version\": \"1.0.0\",\n  \"image\": \"kamiwazaai/x:1.0.0\"\n}\n";
    String pinned = "{\n  \"version\": \"1.0.0\",\n  \"image\": \"kamiwazaai/x:stable\"\n}\n";

    assertThat(VersionBump.rewrite(json, "1.0.0", "1.0.1"))
        .isEqualTo("{\n  \"version\": \"1.0.1\",\n  \"image\": \"kamiwazaai/x:1.0.1\"\n}\n");
    assertThat(VersionBump.rewrite(pinned, "1.0.0", "1.0.1")).contains("kamiwazaai/x:stable");
  }

  @Test
  @DisplayName("docker-compose.yml: own images tagged with the old version move, other images and tags stay, bytes kept")
  void composeTagsMove() {
    String yaml = """
        services:
          api:
            image: kamiwazaai/notes-api:1.4.2   # ours
          web:
            image: "localhost:5000/kamiwazaai/notes-web:v1.4.2"
          db:
            image: postgres:1.4.2
          pinned:
            image: kamiwazaai/notes-old:1.4.1
        """;
    assertThat(VersionBump.retagCompose(yaml, "1.4.2", "1.4.3")).isEqualTo("""
        services:
          api:
            image: kamiwazaai/notes-api:1.4.3   # ours
          web:
            image: "localhost:5000/kamiwazaai/notes-web:v1.4.3"
          db:
            image: postgres:1.4.2
          pinned:
            image: kamiwazaai/notes-old:1.4.1
        """);
  }

  @Test
  @DisplayName("pyproject.toml: a version equal to the old one moves; another stays")
  void pyprojectVersionMoves() {
    String toml = "[project]\nname = \"notes\"\nversion = \"1.4.2\"\n\n[tool.other]\nversion = \"9.9.9\"\n";
    assertThat(VersionBump.pyproject(toml, "1.4.2", "1.5.0"))
        .isEqualTo("[project]\nname = \"notes\"\nversion = \"1.5.0\"\n\n[tool.other]\nversion = \"9.9.9\"\n");
  }
}
