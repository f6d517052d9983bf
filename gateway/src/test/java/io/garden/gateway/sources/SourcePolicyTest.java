package io.garden.gateway.sources;

import io.garden.common.event.SourceRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourcePolicyTest {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  Path temp;

  private SourcePolicy policy() {
    return new SourcePolicy(List.of(temp.resolve("allowed")), List.of("https://git.example/team/"));
  }

  @Test
  @DisplayName("a folder under an allowed root is accepted as its real path")
  void folderUnderRootIsAccepted() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("allowed/repo"));
    assertThat(policy().check(SourceRef.local(repo.toString())).path()).isEqualTo(repo.toRealPath().toString());
  }

  @Test
  @DisplayName("a symlink under an allowed root that leads outside it is refused")
  void symlinkOutIsRefused() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(temp.resolve("allowed"));
    Path link = Files.createSymbolicLink(temp.resolve("allowed/link"), outside);
    assertThatThrownBy(() -> policy().check(SourceRef.local(link.toString())))
        .isInstanceOf(SourceRefusedException.class).hasMessageContaining("outside the allowed roots");
  }

  @Test
  @DisplayName("a git URL under an allowed prefix at an exact commit is accepted")
  void allowedGitIsAccepted() {
    assertThat(policy().check(SourceRef.git("https://git.example/team/extensions.git", null, COMMIT)).repo())
        .isEqualTo("https://git.example/team/extensions.git");
  }

  @Test
  @DisplayName("a git URL that climbs out of the allowed prefix with '..' is refused")
  void dotSegmentsAreRefused() {
    for (String url : List.of("https://git.example/team/../other/x.git", "https://git.example/team/%2e%2e/x.git")) {
      assertThatThrownBy(() -> policy().check(SourceRef.git(url, null, COMMIT)))
          .isInstanceOf(SourceRefusedException.class).hasMessageContaining("not a plain");
    }
  }

  @Test
  @DisplayName("transport helpers and option-like URLs are refused before any prefix check")
  void transportTricksAreRefused() {
    for (String url : List.of("ext::sh -c touch% /tmp/x", "--upload-pack=touch /tmp/x", "https://git.example/team/ x")) {
      assertThatThrownBy(() -> policy().check(SourceRef.git(url, null, COMMIT)))
          .isInstanceOf(SourceRefusedException.class);
    }
  }

  @Test
  @DisplayName("a git source without an exact commit is refused")
  void branchNamesAreRefused() {
    assertThatThrownBy(() -> policy().check(SourceRef.git("https://git.example/team/x.git", "main", "main")))
        .isInstanceOf(SourceRefusedException.class).hasMessageContaining("exact commit");
  }
}
