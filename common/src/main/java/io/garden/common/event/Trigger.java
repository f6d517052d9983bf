package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What started a pipeline when it came from a webhook or a chat command: enough to report the result back and to
 * tell a redelivery from new work. Never a secret.
 *
 * @param delivery   the sender's delivery id ({@code X-GitHub-Delivery}, GitLab's idempotency key), or null
 * @param repository where results are reported: {@code owner/name} on GitHub, the project id on GitLab
 * @param ref        the pushed ref ({@code refs/heads/main}) or the pull request's head ref
 * @param commit     the commit the pipeline runs, whose status is reported
 * @param fork       a pull request from a fork (untrusted code: no image build, push or publish)
 * @param sentAt     when the sender says the change happened (GitHub's {@code pushed_at}, a request's
 *                   {@code updated_at}), or null when it does not say: a replayed old delivery never supersedes a
 *                   newer one
 * @param change     the pull request's number, the merge request's iid: where the plan is commented; null for a push
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trigger(TriggerKind kind, String delivery, String repository, String ref, String commit,
                      boolean fork, java.time.Instant sentAt, Integer change) {

  public Trigger(TriggerKind kind, String delivery, String repository, String ref, String commit, boolean fork,
                 java.time.Instant sentAt) {
    this(kind, delivery, repository, ref, commit, fork, sentAt, null);
  }

  public Trigger(TriggerKind kind, String delivery, String repository, String ref, String commit, boolean fork) {
    this(kind, delivery, repository, ref, commit, fork, null);
  }

  /** Pipelines with one key replace each other: a newer push to a ref supersedes the older one still running. */
  public String concurrencyKey() {
    return kind.wire() + ":" + repository + ":" + ref;
  }
}
