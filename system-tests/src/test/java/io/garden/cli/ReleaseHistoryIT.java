package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventCodec;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.GatewayConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage's release history is read from the audit stream through the gateway, and a rollback puts the index back
 * as one release left it: three publishes from a checkout, then {@code garden history} and {@code garden rollback}
 * as a user runs them under GARDEN_URL.
 */
@ExtendWith(KafkaBroker.class)
class ReleaseHistoryIT {

  @TempDir
  Path temp;

  @Test
  @DisplayName("three publishes are three releases with their requester and changes; a rollback to the first puts its"
      + " index back (a restore, itself a release), and a rollback to the newest has nothing to do")
  void historyAndRollbackAfterThreePublishes() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-history");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .allowingPaths(List.of(repo)))) {
      Map<String, String> remote = new HashMap<>(env);
      remote.put("GARDEN_URL", running.node().url());
      remote.put("GARDEN_API_TOKEN", running.node().token());
      String at = "--repo=" + repo;
      String stage = "stage";
      // The audit stream is the broker's, shared with the ITs before this one: this test's releases are the newest.
      String since = java.time.Instant.now().toString();

      ok(CliRun.of(remote, "publish-registry", "--stage", stage, at));
      String first = published(remote, at, stage);
      ok(CliRun.of(env, "bump", "tool", "tool-websearch", at));
      ok(CliRun.of(remote, "publish-registry", "--stage", stage, at));
      ok(CliRun.of(env, "bump", "tool", "tool-websearch", at));
      ok(CliRun.of(remote, "publish-registry", "--stage", stage, at));
      assertThat(published(remote, at, stage)).contains("tool-websearch 0.6.3");

      CliRun history = CliRun.of(remote, "history", "--stage", stage, "--since", since, "--format",
          "json");
      ok(history);
      JsonNode releases = EventCodec.shared().mapper().readTree(history.out());
      assertThat(releases).hasSize(3);
      List<String> ids = new ArrayList<>();
      releases.forEach(r -> ids.add(r.path("id").asText()));
      assertThat(releases.get(0).path("requester").asText()).isNotBlank();
      assertThat(releases.get(0).path("changes").size()).as("the first publish inserted every entry").isEqualTo(3);
      assertThat(releases.get(1).path("changes").get(0).path("version").asText()).isEqualTo("0.6.2");
      assertThat(releases.get(2).path("backup").asText()).as("the backup it took of the index before").isNotBlank();
      CliRun onlyTool = CliRun.of(remote, "history", "--stage", stage, "--since", since, "--extension",
          "team-notes");
      assertThat(onlyTool.out().lines()).as(onlyTool.out()).hasSize(1);
      assertThat(onlyTool.out()).contains(ids.get(0)).contains("insert team-notes");

      CliRun nothing = CliRun.of(remote, "rollback", "--stage", stage, "--to", ids.get(2), at);
      ok(nothing);
      assertThat(nothing.out()).contains("Nothing to do");

      CliRun rolledBack = CliRun.of(remote, "rollback", "--stage", stage, "--to", ids.get(0), at);
      ok(rolledBack);
      assertThat(published(remote, at, stage)).as("the index as the first publish left it").isEqualTo(first);
      CliRun after = CliRun.of(remote, "history", "--stage", stage, "--since", since);
      assertThat(after.out().lines()).hasSize(4);
      assertThat(after.out().lines().toList().get(3)).contains("restore");

      CliRun otherVersion = CliRun.of(remote, "unpublish", "--stage", stage, "tool-websearch", "--version", "0.0.9",
          at);
      assertThat(otherVersion.exitCode()).as(otherVersion.out() + otherVersion.err()).isEqualTo(ExitCodes.FINDINGS);
      assertThat(otherVersion.out() + otherVersion.err()).contains("at version 0.0.9");
      ok(CliRun.of(remote, "unpublish", "--stage", stage, "tool-websearch", "--version", "0.6.1", at));
      assertThat(published(remote, at, stage)).doesNotContain("tool-websearch").contains("team-notes");

      CliRun unknown = CliRun.of(remote, "rollback", "--stage", stage, "--to", "p-20260101-000000-deadbeef", at);
      assertThat(unknown.exitCode()).isNotZero();
      assertThat(unknown.err()).contains("no release p-20260101-000000-deadbeef on stage");
    }
  }

  @Test
  @DisplayName("a yank withdraws one version, keeps its reason as a tombstone in the history, and leaves the other"
      + " version installable; without --version or GARDEN_URL it is refused")
  void yankWithdrawsOneVersion() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("yank")));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it-yank");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("yank-store"));
    try (NodeUnderTest running = NodeUnderTest.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .allowingPaths(List.of(repo)))) {
      Map<String, String> remote = new HashMap<>(env);
      remote.put("GARDEN_URL", running.node().url());
      remote.put("GARDEN_API_TOKEN", running.node().token());
      String at = "--repo=" + repo;
      String since = java.time.Instant.now().toString();
      ok(CliRun.of(remote, "publish-registry", "--stage", "dev", at));
      // A major version for the Kamiwaza 2 line: published beside 1.4.2, which stays for Kamiwaza 0.8 to 1.x.
      ok(CliRun.of(env, "bump", "--level", "major", "app", "team-notes", at));
      Path manifest = repo.resolve("apps/team-notes/kamiwaza.json");
      Files.writeString(manifest, Files.readString(manifest).replace("\">=0.8.0,<2.0.0\"", "\">=2.0.0\""));
      ok(CliRun.of(remote, "publish-registry", "--stage", "dev", at));
      assertThat(published(remote, at, "dev")).contains("team-notes 1.4.2").contains("team-notes 2.0.0");

      CliRun noVersion = CliRun.of(remote, "yank", "app", "team-notes", "--reason", "x", at);
      assertThat(noVersion.exitCode()).isEqualTo(ExitCodes.USAGE);
      CliRun local = CliRun.of(env, "yank", "app", "team-notes", "--version", "2.0.0", "--reason", "x", at);
      assertThat(local.exitCode()).isNotZero();
      assertThat(local.err()).contains("set GARDEN_URL");

      ok(CliRun.of(remote, "yank", "app", "team-notes", "--version", "2.0.0", "--reason", "CVE-2026-1234 in its"
          + " base image", at));
      assertThat(published(remote, at, "dev")).contains("team-notes 1.4.2").doesNotContain("team-notes 2.0.0");
      CliRun history = CliRun.of(remote, "history", "--stage", "dev", "--since", since);
      assertThat(history.out().lines().toList().get(history.out().lines().toList().size() - 1))
          .contains("yank", "remove team-notes 2.0.0", "[yanked: CVE-2026-1234 in its base image]");
    }
  }

  private static String published(Map<String, String> remote, String at, String stage) {
    CliRun listed = CliRun.of(remote, "list-published", "--stage", stage, at);
    ok(listed);
    return listed.out();
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
