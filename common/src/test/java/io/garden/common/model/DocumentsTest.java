package io.garden.common.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DocumentsTest {

  @TempDir
  Path temp;

  @Test
  @DisplayName("a pipe named like an extension file is refused at once instead of waiting for a writer for ever")
  void pipeIsRefusedWithoutBlocking() throws Exception {
    Path pipe = temp.resolve("kamiwaza.json");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
    assertThat(mkfifo.waitFor()).as("mkfifo").isZero();

    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> Documents.readText(pipe)).isInstanceOf(DocumentException.class)
            .hasMessageContaining("is not a plain file (a pipe, device or socket)"));
  }

  @Test
  @DisplayName("a plain file is read as it is")
  void plainFileIsRead() throws Exception {
    Path file = Files.writeString(temp.resolve("kamiwaza.json"), "{\"name\": \"x\"}");
    assertThat(Documents.readText(file)).isEqualTo("{\"name\": \"x\"}");
  }
}
