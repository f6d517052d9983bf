package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.TriggerKind;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** GitLab's push and merge request hooks as {@link CodeChange}s (a deleted branch, or other actions: empty). */
public final class GitlabPayloads {

  private static final Set<String> MR_ACTIONS = Set.of("open", "reopen", "update");

  private GitlabPayloads() {
  }

  public static Optional<CodeChange> push(JsonNode body) {
    String after = Json.optionalSha(body, "/after");
    if (after == null) {
      return Optional.empty(); // the branch was deleted
    }
    String base = Json.optionalSha(body, "/before");
    return Optional.of(new CodeChange(TriggerKind.GITLAB, Json.text(body, "/project/git_http_url"),
        String.valueOf(body.at("/project/id").asLong()), Json.text(body, "/ref"), after, base, base == null,
        Json.changedPaths(body.path("commits")), Json.optionalText(body, "/user_username"), false));
  }

  public static Optional<CodeChange> mergeRequest(JsonNode body) {
    if (!MR_ACTIONS.contains(body.at("/object_attributes/action").asText(""))) {
      return Optional.empty();
    }
    JsonNode mr = body.path("object_attributes");
    // Trusted only when both ids are there and equal: a payload that leaves them out proves nothing.
    JsonNode source = mr.path("source_project_id");
    JsonNode target = mr.path("target_project_id");
    boolean fork = !(source.isIntegralNumber() && target.isIntegralNumber() && source.asLong() == target.asLong());
    // GitLab does not say the merge base: the whole repository is checked.
    return Optional.of(new CodeChange(TriggerKind.GITLAB, Json.text(body, "/object_attributes/target/git_http_url"),
        String.valueOf(mr.path("target_project_id").asLong()), "refs/merge-requests/" + mr.path("iid").asInt()
        + "/head", Json.sha(body, "/object_attributes/last_commit/id"), null, true, List.of(),
        Json.optionalText(body, "/user/username"), fork, Json.optionalTime(body, "/object_attributes/updated_at"),
        mr.path("iid").asInt()));
  }
}
