package io.garden.gateway.chatops;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChatExtensionsTest {

  @TempDir
  Path repo;

  @Test
  @DisplayName("a bare name is found in its type folder; a missing or ambiguous one is said, with what to type")
  void bareNames() throws Exception {
    Files.createDirectories(repo.resolve("apps/team-notes"));
    Files.createDirectories(repo.resolve("tools/twin"));
    Files.createDirectories(repo.resolve("apps/twin"));

    assertThat(ChatExtensions.resolve(repo, "team-notes").id()).isEqualTo("apps/team-notes");
    assertThat(ChatExtensions.resolve(repo, "apps/team-notes").id()).isEqualTo("apps/team-notes");
    assertThat(ChatExtensions.resolve(repo, "app/team-notes").id()).isEqualTo("apps/team-notes");
    assertThat(ChatExtensions.resolve(repo, "nothing").problem()).isEqualTo("No extension named nothing in apps/,"
        + " services/ or tools/ of the chat-ops repository");
    assertThat(ChatExtensions.resolve(repo, "twin").problem()).contains("apps/twin, tools/twin");
    assertThat(ChatExtensions.resolve(repo, "tools/team-notes").problem()).contains("No extension tools/team-notes");
  }
}
