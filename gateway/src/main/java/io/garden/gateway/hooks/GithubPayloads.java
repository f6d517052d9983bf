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

  /** Who may ask for a plan again with a comment: people with a say in the repository, as GitHub tells it. */
  static final Set<String> PLANNERS = Set.of("OWNER", "MEMBER", "COLLABORATOR");
  /** The comment that asks for a plan again, on a line of its own. */
  public static final String PLAN_COMMAND = "/garden plan";

  /** A {@code /garden plan} comment on a pull request: where, and who asked. */
  public record PlanAsked(String repository, int number, String login) {
  }

  /**
   * An {@code issue_comment} that asks for a plan: created, on a pull request, its first line {@code /garden plan},
   * by an owner, member or collaborator. Anything else is empty, with the reason in {@code ignored}.
   */
  public static Optional<PlanAsked> planAsked(JsonNode body, java.util.function.Consumer<String> ignored) {
    if (!"created".equals(body.path("action").asText("")) || body.at("/issue/pull_request").isMissingNode()) {
      ignored.accept("not a new comment on a pull request");
      return Optional.empty();
    }
    String first = body.at("/comment/body").asText("").strip().lines().findFirst().orElse("").strip();
    if (!first.equals(PLAN_COMMAND)) {
      ignored.accept("the comment does not ask for a plan (" + PLAN_COMMAND + ")");
      return Optional.empty();
    }
    String association = body.at("/comment/author_association").asText("");
    String login = Json.text(body, "/comment/user/login");
    if (!PLANNERS.contains(association)) {
      ignored.accept(login + " may not ask for a plan: only the repository's owners, members and collaborators"
          + " may (" + association + ")");
      return Optional.empty();
    }
    return Optional.of(new PlanAsked(Json.text(body, "/repository/full_name"), body.at("/issue/number").asInt(),
        login));
  }

  /** The pull request GitHub's API returned, as the change a {@code synchronize} of it would be. */
  public static Optional<CodeChange> pullRequestAgain(JsonNode pull, String asker) {
    com.fasterxml.jackson.databind.node.ObjectNode event = com.fasterxml.jackson.databind.node.JsonNodeFactory
        .instance.objectNode();
    event.put("action", "synchronize");
    event.put("number", pull.path("number").asInt());
    event.set("pull_request", pull);
    event.putObject("sender").put("login", asker);
    return pullRequest(event);
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
        fork, Json.optionalTime(body, "/pull_request/updated_at"), body.path("number").asInt()));
  }
}
