package io.garden.extension;

import io.garden.extension.model.ExtensionType;
import io.garden.extension.compose.ComposeRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digest line of a generated appgarden file lets validate and sync --check know it is current without running
 * sync again — but only when nothing it was made from, and nothing in it, has changed since.
 */
class SyncDigestTest {

  @TempDir
  Path root;

  private TestRepo repo() {
    return new TestRepo(root).validApp("notes");
  }

  private LoadedExtension load() {
    return LoadedExtension.load(new TestRepo(root).ref(ExtensionType.APP, "notes"));
  }

  @Test
  @DisplayName("a file sync just wrote is current by its digest, and docker-compose.yml is not even parsed")
  void freshlySyncedIsCurrent() {
    repo();
    LoadedExtension e = load();
    assertThat(e.syncedFromCurrentInputs()).isTrue();
    assertThat(ExtensionValidator.validate(e).findings()).noneMatch(f -> f.rule().equals("compose.stale"));
    assertThat(ComposeSyncer.sync(load(), true).outcome()).isEqualTo(SyncOutcome.UP_TO_DATE);
  }

  @Test
  @DisplayName("a changed docker-compose.yml makes the file stale again")
  void changedInputIsStale() {
    TestRepo repo = repo();
    repo.file("apps/notes/docker-compose.yml", repo.read("apps/notes/docker-compose.yml")
        .replace("8080:8080", "9090:9090"));
    LoadedExtension e = load();
    assertThat(e.syncedFromCurrentInputs()).isFalse();
    assertThat(ExtensionValidator.validate(e).findings()).anyMatch(f -> f.rule().equals("compose.stale"));
  }

  @Test
  @DisplayName("a new version in kamiwaza.json makes the file stale again")
  void changedVersionIsStale() {
    TestRepo repo = repo();
    repo.file("apps/notes/kamiwaza.json", repo.read("apps/notes/kamiwaza.json").replace("1.0.0", "1.0.1"));
    assertThat(load().syncedFromCurrentInputs()).isFalse();
    assertThat(ComposeSyncer.sync(load(), true).outcome()).isEqualTo(SyncOutcome.STALE);
  }

  @Test
  @DisplayName("an edited body under an intact digest line is not trusted: it is compared, and found stale")
  void editedBodyIsCompared() {
    TestRepo repo = repo();
    String file = "apps/notes/" + ComposeRules.FILE;
    repo.file(file, repo.read(file).replace("kamiwazaai/notes-web:1.0.0", "kamiwazaai/notes-web:6.6.6"));
    LoadedExtension e = load();
    assertThat(e.syncedFromCurrentInputs()).isFalse();
    assertThat(ExtensionValidator.validate(e).findings()).anyMatch(f -> f.rule().equals("compose.stale"));
  }
}
