package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten publishers, each its own process, publish different extensions into one store at once while the process
 * holding the publish lock is killed with SIGKILL, twice. Whatever said it published is published; the index
 * parses; the next publish goes through.
 */
class PublishChaosIT {

  private static final int PUBLISHERS = 10;

  @TempDir
  Path temp;

  @Test
  @DisplayName("publishers killed while holding the lock lose nothing that reported success, and block no one")
  void killedLockHoldersLoseNothing() throws Exception {
    Path store = Files.createDirectories(temp.resolve("store"));
    Map<String, String> env = Map.of("GARDEN_HOST", "chaos", "GARDEN_STORE", store.toString());
    List<Path> repos = new ArrayList<>();
    for (int i = 0; i <= PUBLISHERS; i++) {
      Path repo = Files.createDirectories(temp.resolve("repo-" + i));
      CliRun created = CliRun.of(env, "new", "--repo", repo.toString(), "tool", "tool-chaos-" + i);
      assertThat(created.exitCode()).as(created.out() + created.err()).isZero();
      repos.add(repo);
    }

    Map<Long, Integer> publishers = new HashMap<>();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < PUBLISHERS; i++) {
      Process p = garden(env, "publish-registry", "--repo", repos.get(i).toString(), "--lock-wait", "120");
      processes.add(p);
      publishers.put(p.pid(), i);
    }

    Set<Long> killed = new HashSet<>();
    Path lock = store.resolve("dev/garden/v2/registry.lock");
    for (int kill = 0; kill < 2; kill++) {
      long[] holder = {0};
      Awaitility.await("a publisher holding the lock").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(2)).until(() -> {
            holder[0] = holderPid(lock);
            return publishers.containsKey(holder[0]) && !killed.contains(holder[0]);
          });
      ProcessHandle.of(holder[0]).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: no cleanup at all
      killed.add(holder[0]);
    }

    List<String> reportedSuccess = new ArrayList<>();
    for (Process p : processes) {
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("publisher %d ended", p.pid()).isTrue();
      if (p.exitValue() == 0) {
        reportedSuccess.add("tool-chaos-" + publishers.get(p.pid()));
      }
    }
    assertThat(killed).hasSize(2);
    assertThat(reportedSuccess).hasSizeGreaterThanOrEqualTo(PUBLISHERS - 2);

    JsonNode tools = EventCodec.shared().mapper().readTree(store.resolve("dev/garden/v2/tools.json").toFile());
    List<String> listed = new ArrayList<>();
    tools.forEach(e -> listed.add(e.get("name").asText()));
    assertThat(listed).containsAll(reportedSuccess);

    CliRun next = CliRun.of(env, "publish-registry", "--repo", repos.get(PUBLISHERS).toString(), "--lock-wait",
        "60");
    assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
  }

  private static long holderPid(Path lock) {
    try {
      return EventCodec.shared().mapper().readTree(Files.readAllBytes(lock)).path("pid").asLong();
    } catch (java.io.IOException | RuntimeException gone) {
      return 0; // no lock right now, or one being replaced
    }
  }

  /** The CLI in a process of its own, as a user or a CI job runs it. */
  private static Process garden(Map<String, String> env, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder.start();
  }
}
