package io.garden.gateway.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AffectedExtensionsTest {

  @Test
  @DisplayName("paths inside extension folders affect those extensions only")
  void extensionPaths() {
    AffectedExtensions affected = AffectedExtensions.of(List.of("tools/tool-a/kamiwaza.json",
        "tools/tool-a/src/main.py", "apps/x/docker-compose.yml"));
    assertThat(affected.all()).isFalse();
    assertThat(affected.ids()).isEqualTo(Set.of("tools/tool-a", "apps/x"));
  }

  @Test
  @DisplayName("documentation affects nothing: no extension, and not everything")
  void documentation() {
    assertThat(AffectedExtensions.of(List.of("README.md", "docs/guide.txt", "apps/README.md")))
        .isEqualTo(new AffectedExtensions(false, Set.of(), null));
  }

  @Test
  @DisplayName("a shared file (the root Makefile, .ci/) affects every extension, naming the file")
  void sharedFiles() {
    AffectedExtensions makefile = AffectedExtensions.of(List.of("tools/tool-a/x", "Makefile"));
    assertThat(makefile.all()).isTrue();
    assertThat(makefile.reason()).isEqualTo("a shared file changed: Makefile");
    assertThat(AffectedExtensions.of(List.of(".ci/run")).all()).isTrue();
    assertThat(AffectedExtensions.of(List.of("tools/loose-file")).all()).isTrue();
  }
}
