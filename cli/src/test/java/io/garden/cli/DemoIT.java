package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** garden demo end to end: embedded broker, topics, the validate worker, a request and its events. */
class DemoIT {

  @Test
  @DisplayName("garden demo runs a check + validate pipeline through Kafka and reports it passed")
  void demoPasses(@TempDir Path repo) throws Exception {
    CliRun.copyOfExamples(repo);

    CliRun run = CliRun.of("demo", "--repo", repo.toString(), "--timeout", "90");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("← sync.finished from validate-worker@test", "✅ apps/team-notes",
        "Pipeline passed.");
  }

  @Test
  @DisplayName("garden up --check starts everything and exits 0")
  void upCheck(@TempDir Path repo) {
    CliRun run = CliRun.of("up", "--check", "--repo", repo.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Workers running: validate-worker, registry-worker, registry-publisher",
        "garden up --check: OK");
  }
}
