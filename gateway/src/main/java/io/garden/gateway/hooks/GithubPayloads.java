package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.TriggerKind;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * GitHub's {@code push} and {@code pull_request} payloads as {@link CodeChange}s. A deleted branch, and pull request
 * actions other than opened / synchronize / reopened, change nothing to check: empty.
 */
public final class GithubPayloads {

  private static final Set<String> PR_ACTIONS = Set.of("opened", "synchronize", "reopened");

  private GithubPayloads() {
  }

  public static Optional<CodeChange> push(JsonNode body) {
    if (body.path("deleted").asBoolean(false)) {
      return Optional.empty();
    }
    String base = Json.optionalSha(body, "/before");
    boolean everything = base == null || body.path("created").asBoolean(false) || body.path("forced").asBoolean(false);
    String author = Optional.ofNullable(Json.optionalText(body, "/pusher/name"))
        .orElse(Json.optionalText(body, "/sender/login"));
    return Optional.of(new CodeChange(TriggerKind.GITHUB, Json.text(body, "/repository/clone_url"),
        Json.text(body, "/repository/full_name"), Json.text(body, "/ref"), Json.sha(body, "/after"), base, everything,
        Json.changedPaths(body.path("commits")), author, false, Json.optionalTime(body, "/repository/pushed_at")));
  }

  public static Optional<CodeChange> pullRequest(JsonNode body) {
    if (!PR_ACTIONS.contains(body.path("action").asText(""))) {
      return Optional.empty();
    }
    String baseRepo = Json.text(body, "/pull_request/base/repo/full_name");
    String headRepo = Json.optionalText(body, "/pull_request/head/repo/full_name");
    // A head repository that is not the base (or is gone) is a fork: its code is untrusted.
    boolean fork = !baseRepo.equals(headRepo);
    return Optional.of(new CodeChange(TriggerKind.GITHUB, Json.text(body, "/pull_request/base/repo/clone_url"),
        baseRepo, "refs/pull/" + body.path("number").asInt() + "/head", Json.sha(body, "/pull_request/head/sha"),
        Json.optionalSha(body, "/pull_request/base/sha"), false, List.of(), Json.optionalText(body, "/sender/login"),
        fork, Json.optionalTime(body, "/pull_request/updated_at")));
  }
}
