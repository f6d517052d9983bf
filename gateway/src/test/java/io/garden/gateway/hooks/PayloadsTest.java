package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {

  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);

  private static JsonNode json(String text) throws Exception {
    return EventCodec.shared().mapper().readTree(text);
  }

  @Test
  @DisplayName("a GitHub push lists its commits' paths; a new branch (before all zeros) affects everything")
  void githubPush() throws Exception {
    String push = """
        {"ref":"refs/heads/main","before":"%s","after":"%s","repository":{"full_name":"o/r","clone_url":"u"},
         "pusher":{"name":"alice"},"commits":[{"added":["a"],"modified":["b"],"removed":["c"]},{"modified":["b"]}]}
        """;
    CodeChange change = GithubPayloads.push(json(push.formatted(A, B))).orElseThrow();
    assertThat(change.paths()).containsExactly("a", "b", "c");
    assertThat(change.everything()).isFalse();
    assertThat(change.author()).isEqualTo("alice");
    assertThat(GithubPayloads.push(json(push.formatted("0".repeat(40), B))).orElseThrow().everything()).isTrue();
  }

  @Test
  @DisplayName("a deleted branch starts nothing; a push whose commit is not a commit id is refused by field")
  void githubDeletedAndBad() throws Exception {
    assertThat(GithubPayloads.push(json("{\"deleted\":true}"))).isEmpty();
    assertThatThrownBy(() -> GithubPayloads.push(json("""
        {"ref":"refs/heads/main","after":"HEAD; rm -rf /","repository":{"full_name":"o/r","clone_url":"u"}}
        """))).isInstanceOf(HookPayloadException.class).hasMessage("after is not a commit id (40 hex digits)");
  }

  @Test
  @DisplayName("a pull request whose head is in another repository is a fork, checked out from the base")
  void githubFork() throws Exception {
    CodeChange change = GithubPayloads.pullRequest(json("""
        {"action":"synchronize","number":5,"sender":{"login":"m"},"pull_request":{
          "head":{"sha":"%s","repo":{"full_name":"m/r"}},
          "base":{"sha":"%s","repo":{"full_name":"o/r","clone_url":"https://h/o/r.git"}}}}
        """.formatted(A, B))).orElseThrow();
    assertThat(change.fork()).isTrue();
    assertThat(change.cloneUrl()).isEqualTo("https://h/o/r.git");
    assertThat(change.ref()).isEqualTo("refs/pull/5/head");
    assertThat(change.base()).isEqualTo(B);
    assertThat(GithubPayloads.pullRequest(json("{\"action\":\"closed\"}"))).isEmpty();
  }

  @Test
  @DisplayName("a whole GitHub push delivery, as GitHub documents it, is the pushed commit on its ref by its pusher")
  void githubDocumentedPushShape() throws Exception {
    String push = GithubPayloadShapes.push("https://github.com/garden/extensions.git", A, B, "tools/tool-a/app.py",
        "alice");
    CodeChange change = GithubPayloads.push(json(push)).orElseThrow();
    assertThat(change.cloneUrl()).isEqualTo("https://github.com/garden/extensions.git");
    assertThat(change.repository()).isEqualTo("garden/extensions");
    assertThat(change.ref()).isEqualTo("refs/heads/main");
    assertThat(change.commit()).isEqualTo(B);
    assertThat(change.base()).isEqualTo(A);
    assertThat(change.paths()).containsExactly("tools/tool-a/app.py");
    assertThat(change.everything()).isFalse();
    assertThat(change.author()).isEqualTo("alice");
    assertThat(change.fork()).isFalse();
  }

  @Test
  @DisplayName("a whole GitHub pull_request delivery from a fork, as GitHub documents it, is an untrusted change")
  void githubDocumentedPullRequestShape() throws Exception {
    String pr = GithubPayloadShapes.pullRequestFromFork("https://github.com/garden/extensions.git", A, B);
    CodeChange change = GithubPayloads.pullRequest(json(pr)).orElseThrow();
    assertThat(change.fork()).isTrue();
    assertThat(change.cloneUrl()).isEqualTo("https://github.com/garden/extensions.git");
    assertThat(change.ref()).isEqualTo("refs/pull/7/head");
    assertThat(change.commit()).isEqualTo(B);
    assertThat(change.base()).isEqualTo(A);
    assertThat(change.author()).isEqualTo("mallory");
  }

  @Test
  @DisplayName("a GitLab merge request from another project is a fork and checks everything")
  void gitlabMergeRequest() throws Exception {
    CodeChange change = GitlabPayloads.mergeRequest(json("""
        {"object_kind":"merge_request","user":{"username":"m"},"object_attributes":{"action":"open","iid":3,
          "source_project_id":9,"target_project_id":42,"last_commit":{"id":"%s"},
          "target":{"git_http_url":"https://gl/o/r.git"}}}
        """.formatted(A))).orElseThrow();
    assertThat(change.fork()).isTrue();
    assertThat(change.repository()).isEqualTo("42");
    assertThat(change.everything()).isTrue();
    assertThat(change.commit()).isEqualTo(A);
  }

  @Test
  @DisplayName("a GitLab merge request that leaves out either project id is untrusted, like a fork")
  void gitlabMergeRequestWithoutProjectIdsIsUntrusted() throws Exception {
    for (String ids : List.of("", "\"source_project_id\":42,", "\"target_project_id\":42,",
        "\"source_project_id\":\"42\",\"target_project_id\":\"42\",")) {
      CodeChange change = GitlabPayloads.mergeRequest(json("""
          {"object_kind":"merge_request","user":{"username":"m"},"object_attributes":{"action":"open","iid":3,
            %s"last_commit":{"id":"%s"},"target":{"git_http_url":"https://gl/o/r.git"}}}
          """.formatted(ids, A))).orElseThrow();
      assertThat(change.fork()).as(ids).isTrue();
    }
    CodeChange same = GitlabPayloads.mergeRequest(json("""
        {"object_kind":"merge_request","user":{"username":"m"},"object_attributes":{"action":"open","iid":3,
          "source_project_id":42,"target_project_id":42,"last_commit":{"id":"%s"},
          "target":{"git_http_url":"https://gl/o/r.git"},"updated_at":"2026-12-04 10:00:00 UTC"}}
        """.formatted(A))).orElseThrow();
    assertThat(same.fork()).isFalse();
    assertThat(same.sentAt()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
  }

  @Test
  @DisplayName("a change carries when the sender says it happened: GitHub's pushed_at, a pull request's updated_at")
  void changesAreDated() throws Exception {
    Instant pushed = Instant.parse("2026-12-01T08:00:00Z");
    String push = GithubPayloadShapes.push("https://github.com/garden/extensions.git", A, B, "tools/tool-a/app.py",
        "alice", pushed);
    assertThat(GithubPayloads.push(json(push)).orElseThrow().sentAt()).isEqualTo(pushed);
    String pr = GithubPayloadShapes.pullRequestFromFork("https://github.com/garden/extensions.git", A, B);
    assertThat(GithubPayloads.pullRequest(json(pr)).orElseThrow().sentAt()).isNotNull();
    assertThat(GithubPayloads.push(json("{\"ref\":\"refs/heads/main\",\"before\":\"" + A + "\",\"after\":\""
        + B + "\",\"repository\":{\"clone_url\":\"https://x/y.git\",\"full_name\":\"x/y\"}}"))
        .orElseThrow().sentAt()).as("undated").isNull();
  }

  private static String planComment(String action, String body, String association, boolean onPullRequest) {
    return "{\"action\":\"" + action + "\",\"issue\":{\"number\":7" + (onPullRequest
        ? ",\"pull_request\":{\"url\":\"u\"}" : "") + "},\"comment\":{\"body\":\"" + body
        + "\",\"author_association\":\"" + association + "\",\"user\":{\"login\":\"ann\"}},"
        + "\"repository\":{\"full_name\":\"garden/extensions\"}}";
  }

  @Test
  @DisplayName("'/garden plan' on its own first line, by an owner, member or collaborator, asks for a plan of the"
      + " pull request; anything else is ignored, saying why")
  void planComments() throws Exception {
    List<String> why = new java.util.ArrayList<>();
    assertThat(GithubPayloads.planAsked(json(planComment("created", "/garden plan\\nthanks", "MEMBER", true)),
        why::add)).contains(new GithubPayloads.PlanAsked("garden/extensions", 7, "ann"));
    assertThat(GithubPayloads.planAsked(json(planComment("created", "/garden plan", "CONTRIBUTOR", true)),
        why::add)).isEmpty();
    assertThat(GithubPayloads.planAsked(json(planComment("created", "looks good", "OWNER", true)), why::add))
        .isEmpty();
    assertThat(GithubPayloads.planAsked(json(planComment("edited", "/garden plan", "OWNER", true)), why::add))
        .isEmpty();
    assertThat(GithubPayloads.planAsked(json(planComment("created", "/garden plan", "OWNER", false)), why::add))
        .isEmpty();
    assertThat(why).containsExactly(
        "ann may not ask for a plan: only the repository's owners, members and collaborators may (CONTRIBUTOR)",
        "the comment does not ask for a plan (/garden plan)", "not a new comment on a pull request",
        "not a new comment on a pull request");
  }
}
