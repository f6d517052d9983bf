package io.garden.gateway.hooks;

import io.garden.common.event.PipelineFinished;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One commit status to post: where, and what. GitHub: {@code POST /repos/{owner}/{repo}/statuses/{sha}} with
 * {@code pending|success|failure|error}; GitLab: {@code POST /projects/{id}/statuses/{sha}} with
 * {@code running|success|failed|canceled}. Both under the context {@value #CONTEXT}. A trigger whose repository or
 * commit is not plainly one (it came from an untrusted body) gives no status rather than a URL built from it.
 */
public record CommitStatus(URI url, Map<String, Object> body, TriggerKind kind) {

  public static final String CONTEXT = "garden/ci-pipeline";
  private static final Pattern OWNER_REPO = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
  private static final Pattern PROJECT_ID = Pattern.compile("[0-9]{1,19}");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int MAX_DESCRIPTION = 140;

  /** The pipeline started. */
  public static Optional<CommitStatus> started(Trigger trigger, String pipelineId, URI githubApi, URI gitlabApi) {
    return of(trigger, githubApi, gitlabApi, trigger.kind() == TriggerKind.GITHUB ? "pending" : "running",
        "pipeline " + pipelineId + " running");
  }

  /** The pipeline ended. */
  public static Optional<CommitStatus> finished(Trigger trigger, String pipelineId, PipelineFinished finished,
                                                URI githubApi, URI gitlabApi) {
    boolean github = trigger.kind() == TriggerKind.GITHUB;
    String state = switch (finished.state()) {
      case SUCCEEDED -> "success";
      case FAILED -> github ? "failure" : "failed";
      case CANCELLED -> github ? "error" : "canceled";
    };
    String description = "pipeline " + pipelineId + " " + finished.state().wire()
        + (finished.reason() == null ? "" : ": " + finished.reason());
    return of(trigger, githubApi, gitlabApi, state, description);
  }

  private static Optional<CommitStatus> of(Trigger trigger, URI githubApi, URI gitlabApi, String state,
                                           String description) {
    if (trigger.commit() == null || !SHA.matcher(trigger.commit()).matches() || trigger.repository() == null) {
      return Optional.empty();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", state);
    body.put(trigger.kind() == TriggerKind.GITHUB ? "context" : "name", CONTEXT);
    body.put("description", description.length() <= MAX_DESCRIPTION ? description
        : description.substring(0, MAX_DESCRIPTION - 1) + "…");
    if (!plainRepository(trigger)) {
      return Optional.empty();
    }
    return Optional.of(trigger.kind() == TriggerKind.GITHUB
        ? new CommitStatus(under(githubApi, "/repos/" + trigger.repository() + "/statuses/" + trigger.commit()), body,
            TriggerKind.GITHUB)
        : new CommitStatus(under(gitlabApi, "/projects/" + trigger.repository() + "/statuses/" + trigger.commit()),
            body, TriggerKind.GITLAB));
  }

  /** Whether {@code repository} is plainly a GitHub {@code owner/name}. */
  static boolean plainGithubRepository(String repository) {
    return repository != null && OWNER_REPO.matcher(repository).matches();
  }

  /** Whether a trigger's repository is plainly one of its forge's (it came from an untrusted body). */
  static boolean plainRepository(Trigger trigger) {
    return trigger.repository() != null && switch (trigger.kind()) {
      case GITHUB -> plainGithubRepository(trigger.repository());
      case GITLAB -> PROJECT_ID.matcher(trigger.repository()).matches();
      case SLACK -> false;
    };
  }

  static URI under(URI api, String path) {
    String base = api.toString().endsWith("/") ? api.toString().substring(0, api.toString().length() - 1)
        : api.toString();
    return URI.create(base + path);
  }
}
