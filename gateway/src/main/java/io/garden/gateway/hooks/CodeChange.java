package io.garden.gateway.hooks;

import io.garden.common.event.TriggerKind;

import java.time.Instant;
import java.util.List;

/**
 * A push or a pull/merge request as a git host reported it, in the terms the pipeline needs: what to check out,
 * what changed, who did it and where to report. Built from an untrusted body by {@link GithubPayloads} or
 * {@link GitlabPayloads}; nothing in it is trusted beyond its shape.
 *
 * @param cloneUrl   the repository to check out (a pull request's head commit is fetched from the base repository)
 * @param repository where statuses go: {@code owner/name} on GitHub, the project id on GitLab
 * @param base       the commit before the change, or null when there is none (a new branch)
 * @param everything the whole repository is affected (a new branch, a force push)
 * @param paths      the changed paths the sender listed (may be incomplete: it caps its lists)
 * @param author     who pushed or opened the request (login or user name)
 * @param fork       a request from a fork of the repository (or one whose origin the payload does not say)
 * @param sentAt     when the sender says the change happened, or null when its payload does not say
 */
public record CodeChange(TriggerKind kind, String cloneUrl, String repository, String ref, String commit, String base,
                         boolean everything, List<String> paths, String author, boolean fork, Instant sentAt,
                         Integer number) {

  public CodeChange {
    paths = List.copyOf(paths);
  }

  public CodeChange(TriggerKind kind, String cloneUrl, String repository, String ref, String commit, String base,
                    boolean everything, List<String> paths, String author, boolean fork, Instant sentAt) {
    this(kind, cloneUrl, repository, ref, commit, base, everything, paths, author, fork, sentAt, null);
  }

  /** A pull or merge request (it has a number), not a push. */
  public boolean isRequest() {
    return number != null;
  }

  public CodeChange(TriggerKind kind, String cloneUrl, String repository, String ref, String commit, String base,
                    boolean everything, List<String> paths, String author, boolean fork) {
    this(kind, cloneUrl, repository, ref, commit, base, everything, paths, author, fork, null);
  }
}
