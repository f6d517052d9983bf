package io.garden.gateway.hooks;

import io.garden.common.event.PipelineFinished;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommitStatusTest {

  private static final URI GITHUB = URI.create("https://api.github.com");
  private static final URI GITLAB = URI.create("https://gitlab.example/api/v4/");
  private static final String SHA = "c".repeat(40);

  @Test
  @DisplayName("GitHub gets pending, then success, failure or error under the garden/ci-pipeline context")
  void github() {
    Trigger trigger = new Trigger(TriggerKind.GITHUB, "d", "garden/ext", "refs/heads/main", SHA, false);
    CommitStatus pending = CommitStatus.started(trigger, "p-1", GITHUB, GITLAB).orElseThrow();
    assertThat(pending.url()).isEqualTo(URI.create("https://api.github.com/repos/garden/ext/statuses/" + SHA));
    assertThat(pending.body()).containsEntry("state", "pending").containsEntry("context", "garden/ci-pipeline");
    assertThat(CommitStatus.finished(trigger, "p-1", finished(PipelineFinished.State.FAILED, "validate failed"),
        GITHUB, GITLAB).orElseThrow().body()).containsEntry("state", "failure")
        .containsEntry("description", "pipeline p-1 failed: validate failed");
    assertThat(CommitStatus.finished(trigger, "p-1", finished(PipelineFinished.State.CANCELLED, "superseded by p-2"),
        GITHUB, GITLAB).orElseThrow().body()).containsEntry("state", "error");
  }

  @Test
  @DisplayName("GitLab gets running, then success, failed or canceled on the project's commit")
  void gitlab() {
    Trigger trigger = new Trigger(TriggerKind.GITLAB, "d", "42", "refs/heads/main", SHA, false);
    assertThat(CommitStatus.started(trigger, "p-1", GITHUB, GITLAB).orElseThrow().url())
        .isEqualTo(URI.create("https://gitlab.example/api/v4/projects/42/statuses/" + SHA));
    assertThat(CommitStatus.finished(trigger, "p-1", finished(PipelineFinished.State.CANCELLED, null), GITHUB,
        GITLAB).orElseThrow().body()).containsEntry("state", "canceled").containsEntry("name", "garden/ci-pipeline");
  }

  @Test
  @DisplayName("a repository or commit that is not plainly one gives no status, never a URL built from it")
  void hostileTriggers() {
    assertThat(CommitStatus.started(new Trigger(TriggerKind.GITHUB, "d", "o/r/../../admin", "r", SHA, false), "p",
        GITHUB, GITLAB)).isEmpty();
    assertThat(CommitStatus.started(new Trigger(TriggerKind.GITLAB, "d", "42?x=1", "r", SHA, false), "p",
        GITHUB, GITLAB)).isEmpty();
    assertThat(CommitStatus.started(new Trigger(TriggerKind.GITHUB, "d", "o/r", "r", "main", false), "p",
        GITHUB, GITLAB)).isEmpty();
  }

  @Test
  @DisplayName("a long reason is cut to GitHub's 140 characters")
  void longDescriptions() {
    Trigger trigger = new Trigger(TriggerKind.GITHUB, "d", "o/r", "r", SHA, false);
    String description = (String) CommitStatus.finished(trigger, "p-1", finished(PipelineFinished.State.FAILED,
        "x".repeat(500)), GITHUB, GITLAB).orElseThrow().body().get("description");
    assertThat(description).hasSize(140).endsWith("…");
  }

  private static PipelineFinished finished(PipelineFinished.State state, String reason) {
    return new PipelineFinished(state, reason, 1, List.of(), List.of());
  }
}
