package io.garden.extension.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtensionFilesTest {

  @TempDir
  Path temp;

  private Path extension;
  private Path outside;

  @BeforeEach
  void setUp() throws Exception {
    extension = Files.createDirectories(temp.resolve("repo/apps/x"));
    outside = Files.writeString(temp.resolve("secret.txt"), "root:x:0:0");
  }

  @Test
  @DisplayName("a plain file, a missing file and a link to a file inside the extension are readable")
  void insideIsReadable() throws Exception {
    Path file = Files.writeString(extension.resolve("kamiwaza.json"), "{}");
    Path link = Files.createSymbolicLink(extension.resolve("alias.json"), file);

    assertThat(ExtensionFiles.contained(extension, file)).isEqualTo(file);
    assertThat(ExtensionFiles.contained(extension, link)).isEqualTo(link);
    assertThat(ExtensionFiles.contained(extension, extension.resolve("missing.yml")))
        .isEqualTo(extension.resolve("missing.yml"));
  }

  @Test
  @DisplayName("a symbolic link to a file outside the extension is refused, naming the file")
  void linkOutIsRefused() throws Exception {
    Path link = Files.createSymbolicLink(extension.resolve("preview.png"), outside);

    assertThatThrownBy(() -> ExtensionFiles.contained(extension, link))
        .isInstanceOf(ExtensionFiles.PathEscapeException.class)
        .hasMessageContaining("preview.png is a symbolic link leading outside the extension folder");
  }

  @Test
  @DisplayName("a folder link that leads out is refused for every file read through it")
  void folderLinkOutIsRefused() throws Exception {
    Files.createDirectories(temp.resolve("other"));
    Files.writeString(temp.resolve("other/kamiwaza.json"), "{}");
    Files.createSymbolicLink(extension.resolve("sub"), temp.resolve("other"));

    assertThatThrownBy(() -> ExtensionFiles.contained(extension, extension.resolve("sub/kamiwaza.json")))
        .isInstanceOf(ExtensionFiles.PathEscapeException.class);
  }

  @Test
  @DisplayName("'..' out of the extension and links to nothing are refused")
  void dotDotAndDanglingAreRefused() throws Exception {
    Path dangling = Files.createSymbolicLink(extension.resolve("gone.yml"), temp.resolve("nowhere"));

    assertThatThrownBy(() -> ExtensionFiles.contained(extension, extension.resolve("../y/file")))
        .isInstanceOf(ExtensionFiles.PathEscapeException.class).hasMessageContaining("outside the extension");
    assertThatThrownBy(() -> ExtensionFiles.contained(extension, dangling))
        .isInstanceOf(ExtensionFiles.PathEscapeException.class).hasMessageContaining("a symbolic link to nothing");
  }

  @Test
  @DisplayName("a build context with a link out anywhere in it is refused; one with links inside is accepted")
  void contextTreeIsChecked() throws Exception {
    Path context = Files.createDirectories(extension.resolve("backend/src"));
    Files.writeString(context.resolve("app.py"), "print()");
    Files.createSymbolicLink(context.resolve("same.py"), context.resolve("app.py"));
    ExtensionFiles.requireContainedTree(extension, extension.resolve("backend"));

    Files.createSymbolicLink(context.resolve("passwd"), outside);

    assertThatThrownBy(() -> ExtensionFiles.requireContainedTree(extension, extension.resolve("backend")))
        .isInstanceOf(ExtensionFiles.PathEscapeException.class).hasMessageContaining("backend/src/passwd");
  }
}
