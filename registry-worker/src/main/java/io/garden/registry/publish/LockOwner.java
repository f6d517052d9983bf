package io.garden.registry.publish;

/**
 * Who is publishing: written into the lock so a waiting publisher can say who it waits for.
 *
 * @param ci      the CI job this runs in, when it does ({@link #ciJob})
 * @param request the id of the pipeline's request this publish answers (the same when it is delivered again), or
 *                null outside a pipeline
 */
public record LockOwner(String owner, String host, long pid, String pipeline, long fencingToken, String ci,
                        String request) {

  public LockOwner(String owner, String host, long pid, String pipeline, long fencingToken) {
    this(owner, host, pid, pipeline, fencingToken, null, null);
  }

  public LockOwner(String owner, String host, long pid, String pipeline, long fencingToken, String ci) {
    this(owner, host, pid, pipeline, fencingToken, ci, null);
  }

  /** The same owner answering the pipeline request {@code id}. */
  public LockOwner answering(String id) {
    return new LockOwner(owner, host, pid, pipeline, fencingToken, ci, id);
  }

  public static LockOwner local(String host, String pipeline) {
    return local(host, pipeline, java.util.Map.of());
  }

  /** A publisher at a terminal or in a CI job, named as the old toolchain's lock named it. */
  public static LockOwner local(String host, String pipeline, java.util.Map<String, String> env) {
    return new LockOwner(System.getProperty("user.name", "unknown"), host, ProcessHandle.current().pid(), pipeline,
        System.currentTimeMillis(), ciJob(env));
  }

  /** The CI job in {@code env}: GitHub Actions' run, GitLab's job; null outside CI. */
  public static String ciJob(java.util.Map<String, String> env) {
    String github = env.get("GITHUB_RUN_ID");
    if (github != null && !github.isBlank()) {
      String repo = env.getOrDefault("GITHUB_REPOSITORY", "");
      return "github-actions run " + github.trim() + (repo.isBlank() ? "" : " of " + repo.trim());
    }
    String gitlab = env.get("CI_JOB_ID");
    if (gitlab != null && !gitlab.isBlank()) {
      String project = env.getOrDefault("CI_PROJECT_PATH", "");
      return "gitlab job " + gitlab.trim() + (project.isBlank() ? "" : " of " + project.trim());
    }
    return null;
  }
}
