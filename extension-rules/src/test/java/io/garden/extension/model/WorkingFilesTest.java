package io.garden.extension.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingFilesTest {

  @TempDir
  Path repo;

  @Test
  @DisplayName("in a git repository, garden's working folders are added to .gitignore once, keeping what is there")
  void addedOnce() throws Exception {
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve(".gitignore"), "node_modules/\nbuild\n");

    assertThat(WorkingFiles.keepOutOfGit(repo)).hasValueSatisfying(said -> assertThat(said)
        .contains("/dist/", "/.garden/").doesNotContain("/build/"));
    assertThat(WorkingFiles.keepOutOfGit(repo)).as("the second time: nothing to add").isEmpty();
    assertThat(Files.readString(repo.resolve(".gitignore"))).startsWith("node_modules/\nbuild\n")
        .endsWith("/dist/\n/.garden/\n");
  }

  @Test
  @DisplayName("outside git nothing is written")
  void notGit() {
    assertThat(WorkingFiles.keepOutOfGit(repo)).isEmpty();
    assertThat(repo.resolve(".gitignore")).doesNotExist();
  }
}
