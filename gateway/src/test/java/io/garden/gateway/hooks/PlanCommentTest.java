package io.garden.gateway.hooks;

import io.garden.common.event.ExtensionFindings;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishPlanned;
import io.garden.common.model.Finding;
import io.garden.common.model.Severity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCommentTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final PipelineFinished OK = new PipelineFinished(PipelineFinished.State.SUCCEEDED, null, 1000,
      List.of(), List.of());
  private static final PublishPlanned PLAN = new PublishPlanned("dev", "s3://b", true, false, List.of(
      new PlannedDecision("apps.json", "team-notes", "1.5.0", ">=0.8.0", "REPLACE", List.of("1.4.2"), "newer"),
      new PlannedDecision("tools.json", "tool-websearch", "0.6.1", null, "UNCHANGED", List.of(), null)));
  private static final ExtensionFindings WARNED = new ExtensionFindings("tools/tool-websearch", true, "passed",
      List.of(new Finding(Severity.WARNING, "manifest.env-placeholder", "tools/tool-websearch", "kamiwaza.json", 19,
          5, "/env_defaults/MCP_PATH", null, "env_defaults.MCP_PATH uses unknown template variable {x}")));

  @Test
  @DisplayName("the comment starts with its marker and shows the decision table, REPLACE old → new, the findings at"
      + " file:line and the run")
  void rendersThePlan() {
    String md = new PlanComment("p-1", SHA, OK, List.of(PLAN), List.of(WARNED),
        Optional.of(URI.create("https://garden.example.com/#pipeline=p-1"))).markdown();
    assertThat(md).startsWith(PlanComment.MARKER).contains("### garden plan for `0123456789ab`: succeeded")
        .contains("#### Publish to dev")
        .contains("| REPLACE | apps.json | team-notes | 1.4.2 → 1.5.0 | newer |")
        .contains("| UNCHANGED | tools.json | tool-websearch | 0.6.1 |  |")
        .contains("0 error(s), 1 warning(s)")
        .contains("`tools/tool-websearch/kamiwaza.json:19:5` `manifest.env-placeholder`")
        .contains("Run `p-1`: https://garden.example.com/#pipeline=p-1");
  }

  @Test
  @DisplayName("text from the repository cannot break the table or make links: pipes, brackets and HTML are escaped")
  void repositoryTextIsInert() {
    PublishPlanned hostile = new PublishPlanned("dev", "s3://b", true, true, List.of(new PlannedDecision("apps.json",
        "x|y", "1.0.0", null, "FAIL", List.of(), "see [here](https://evil.example) <img src=x>")));
    String md = new PlanComment("p-1", SHA, OK, List.of(hostile), List.of(), Optional.empty()).markdown();
    assertThat(md).contains("| **FAIL** | apps.json | x\\|y | 1.0.0 | see \\[here\\]\\(https://evil.example\\)"
        + " \\<img src=x\\> |").contains("would FAIL");
    assertThat(new PlanComment("p-1", SHA, OK, List.of(hostile), List.of(), Optional.empty()).conclusion())
        .isEqualTo("failure");
  }

  @Test
  @DisplayName("each finding is an annotation at its file and line, errors as failures, at most 50")
  void annotationsAtFileAndLine() {
    var annotations = new PlanComment("p-1", SHA, OK, List.of(PLAN), List.of(WARNED), Optional.empty())
        .annotations();
    assertThat(annotations).singleElement().satisfies(a -> {
      assertThat(a).containsEntry("path", "tools/tool-websearch/kamiwaza.json").containsEntry("start_line", 19)
          .containsEntry("annotation_level", "warning");
    });
    List<Finding> many = java.util.stream.IntStream.range(0, 80).mapToObj(i -> Finding.error("r", "apps/a",
        "kamiwaza.json", "e" + i)).toList();
    assertThat(new PlanComment("p-1", SHA, OK, List.of(), List.of(new ExtensionFindings("apps/a", false, "failed",
        many)), Optional.empty()).annotations()).hasSize(50).allSatisfy(a -> assertThat(a)
        .containsEntry("start_line", 1).containsEntry("annotation_level", "failure"));
  }
}
