package io.garden.common.source;

import io.garden.common.event.SourceRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Git sources from local bare repositories (file://), as a pipeline's workers check them out. */
class SourceCheckoutsIT {

  @TempDir
  Path temp;

  @Test
  @DisplayName("a git source is checked out at its exact commit, without the repository's .git")
  void checksOutTheExactCommit() throws Exception {
    GitFixture repo = GitFixture.create(temp.resolve("work"), temp.resolve("origin.git"));
    String first = repo.commit("apps/a/kamiwaza.json", "{\"v\": 1}");
    String second = repo.commit("apps/a/kamiwaza.json", "{\"v\": 2}");
    SourceCheckouts checkouts = new SourceCheckouts(temp.resolve("cache"));

    Path atFirst = checkouts.resolve(SourceRef.git(repo.url(), null, first));
    Path atSecond = checkouts.resolve(SourceRef.git(repo.url(), null, second));

    assertThat(atFirst.resolve("apps/a/kamiwaza.json")).hasContent("{\"v\": 1}");
    assertThat(atSecond.resolve("apps/a/kamiwaza.json")).hasContent("{\"v\": 2}");
    assertThat(atFirst.resolve(".git")).doesNotExist();
    assertThat(checkouts.resolve(SourceRef.git(repo.url(), null, first))).isEqualTo(atFirst);
  }

  @Test
  @DisplayName("a commit pushed after the first checkout is fetched into the same mirror")
  void laterCommitsAreFetched() throws Exception {
    GitFixture repo = GitFixture.create(temp.resolve("work"), temp.resolve("origin.git"));
    SourceCheckouts checkouts = new SourceCheckouts(temp.resolve("cache"));
    checkouts.resolve(SourceRef.git(repo.url(), null, repo.commit("apps/a.txt", "one")));

    String later = repo.commit("apps/a.txt", "two");

    assertThat(checkouts.resolve(SourceRef.git(repo.url(), null, later)).resolve("apps/a.txt")).hasContent("two");
  }

  @Test
  @DisplayName("a commit the repository does not have is a clear error naming both")
  void unknownCommitIsRefused() throws Exception {
    GitFixture repo = GitFixture.create(temp.resolve("work"), temp.resolve("origin.git"));
    repo.commit("apps/a.txt", "one");
    String missing = "0123456789abcdef0123456789abcdef01234567";

    assertThatThrownBy(() -> new SourceCheckouts(temp.resolve("cache")).resolve(SourceRef.git(repo.url(), null,
        missing))).isInstanceOf(IllegalArgumentException.class).hasMessage("commit " + missing + " is not in "
        + repo.url());
  }

  @Test
  @DisplayName("concurrent steps asking for one commit all get the same whole checkout")
  void concurrentStepsShareOneCheckout() throws Exception {
    GitFixture repo = GitFixture.create(temp.resolve("work"), temp.resolve("origin.git"));
    for (int i = 0; i < 20; i++) {
      repo.write("apps/f" + i + ".txt", "content " + i);
    }
    String commit = repo.commit("apps/last.txt", "done");
    SourceCheckouts checkouts = new SourceCheckouts(temp.resolve("cache"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      Callable<Path> step = () -> checkouts.resolve(SourceRef.git(repo.url(), null, commit));
      List<Future<Path>> results = pool.invokeAll(java.util.Collections.nCopies(6, step));
      Path first = results.get(0).get();
      for (Future<Path> r : results) {
        Path p = r.get();
        assertThat(p).isEqualTo(first);
        assertThat(p.resolve("apps/last.txt")).hasContent("done");
        assertThat(p.resolve("apps/f19.txt")).hasContent("content 19");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a checkout is the folder at that commit, whatever it holds (whether it holds extensions is the"
      + " caller's question: ExtensionRepository.require)")
  void checkoutIsTheFolderAtTheCommit() throws Exception {
    GitFixture repo = GitFixture.create(temp.resolve("work"), temp.resolve("origin.git"));
    String commit = repo.commit("README.md", "no extensions here");

    Path folder = new SourceCheckouts(temp.resolve("cache")).resolve(SourceRef.git(repo.url(), null, commit));

    assertThat(folder.resolve("README.md")).hasContent("no extensions here");
  }

  @Test
  @DisplayName("without a cache only local folders are sources")
  void localOnlyRefusesGit() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("repo"));
    Files.createDirectories(folder.resolve("tools"));
    assertThat(SourceCheckouts.localOnly().resolve(SourceRef.local(folder.toString()))).isEqualTo(folder);
    assertThatThrownBy(() -> SourceCheckouts.localOnly().resolve(SourceRef.git("file:///x.git", null,
        "a".repeat(40)))).hasMessageContaining("GARDEN_SOURCE_CACHE");
  }
}
