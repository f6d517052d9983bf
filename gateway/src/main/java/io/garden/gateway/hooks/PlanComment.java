package io.garden.gateway.hooks;

import io.garden.common.event.ExtensionFindings;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishPlanned;
import io.garden.common.model.Finding;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one comment garden keeps on a pull (merge) request, as Atlantis keeps its plan: what a merge would publish
 * (the publish dry run's decision table per stage: INSERT, REPLACE 1.4.2 → 1.5.0, UNCHANGED, FAIL with why), what
 * validation found, and the run. Found again by {@link #MARKER} and edited on every push, never posted twice.
 * Text from the repository (messages, names) is escaped for Markdown tables: a finding cannot break the layout or
 * add links of its own.
 *
 * @param pipeline the run this is the plan of
 * @param commit   the commit it planned
 * @param finished how the run ended
 * @param plans    its dry runs' decision tables
 * @param findings validation's findings, per extension
 * @param link     the run's page, when the gateway has a public URL
 */
public record PlanComment(String pipeline, String commit, PipelineFinished finished, List<PublishPlanned> plans,
                          List<ExtensionFindings> findings, Optional<URI> link) {

  /** How garden's comment is told from everyone else's (an HTML comment: invisible on the page). */
  public static final String MARKER = "<!-- garden-plan -->";
  /** GitHub takes at most 50 annotations per request. */
  static final int MAX_ANNOTATIONS = 50;
  private static final int MAX_FINDINGS_LISTED = 50;

  public PlanComment {
    plans = List.copyOf(plans);
    findings = List.copyOf(findings);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder(MARKER).append('\n');
    md.append("### garden plan for ").append(commit == null ? "this request" : "`" + shortSha(commit) + "`")
        .append(": ").append(finished.state().wire()).append('\n');
    if (finished.reason() != null) {
      md.append('\n').append(escape(finished.reason())).append('\n');
    }
    if (plans.isEmpty()) {
      md.append("\nNo publish was planned (validation or an earlier step stopped the run first, or the request is from"
          + " a fork: its code is validated, never built or planned).\n");
    }
    for (PublishPlanned plan : plans) {
      md.append("\n#### Publish to ").append(plan.stage()).append(plan.failed() ? " — would FAIL" : "").append('\n');
      md.append("\n| action | file | extension | version | |\n|---|---|---|---|---|\n");
      for (PlannedDecision d : plan.decisions()) {
        md.append("| ").append(action(d)).append(" | ").append(escape(d.file())).append(" | ")
            .append(escape(d.name())).append(" | ").append(version(d)).append(" | ")
            .append(d.message() == null ? "" : escape(d.message())).append(" |\n");
      }
      if (plan.decisions().isEmpty()) {
        md.append("| (nothing to publish) | | | | |\n");
      }
    }
    List<String> lines = findingLines();
    md.append("\n#### Validation: ").append(count(true)).append(" error(s), ").append(count(false))
        .append(" warning(s)\n");
    lines.stream().limit(MAX_FINDINGS_LISTED).forEach(line -> md.append("- ").append(line).append('\n'));
    if (lines.size() > MAX_FINDINGS_LISTED) {
      md.append("- … and ").append(lines.size() - MAX_FINDINGS_LISTED).append(" more (see the run)\n");
    }
    md.append("\nRun `").append(pipeline).append('`').append(link.map(u -> ": " + u).orElse(""))
        .append(". Comment `/garden plan` to plan again.\n");
    return md.toString();
  }

  /** success when the run succeeded and no table would FAIL. */
  public String conclusion() {
    boolean failed = finished.state() != PipelineFinished.State.SUCCEEDED
        || plans.stream().anyMatch(PublishPlanned::failed);
    return failed ? "failure" : "success";
  }

  /** Each finding at its file and line, as the Checks API takes them: shown in the pull request's diff. */
  public List<Map<String, Object>> annotations() {
    List<Map<String, Object>> annotations = new ArrayList<>();
    for (ExtensionFindings result : findings) {
      for (Finding f : result.findings()) {
        if (annotations.size() == MAX_ANNOTATIONS) {
          return annotations;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("path", f.file() == null ? result.extension() : result.extension() + "/" + f.file());
        a.put("start_line", Math.max(1, f.line()));
        a.put("end_line", Math.max(1, f.line()));
        a.put("annotation_level", f.isError() ? "failure" : "warning");
        a.put("title", f.rule() == null ? "garden" : f.rule());
        a.put("message", f.text());
        annotations.add(a);
      }
    }
    return annotations;
  }

  private List<String> findingLines() {
    List<String> lines = new ArrayList<>();
    for (boolean errors : new boolean[] {true, false}) {
      for (ExtensionFindings result : findings) {
        for (Finding f : result.findings()) {
          if (f.isError() == errors) {
            lines.add((errors ? "**error** " : "warning ") + code(Finding.location(result.extension(),
                f.file(), f.line(), f.column())) + " " + (f.rule() == null ? "" : code(f.rule()) + " ")
                + escape(f.text()));
          }
        }
      }
    }
    return lines;
  }

  private long count(boolean errors) {
    return findings.stream().flatMap(r -> r.findings().stream()).filter(f -> f.isError() == errors).count();
  }

  private static String action(PlannedDecision d) {
    String action = d.action() == null ? "?" : d.action().toUpperCase(java.util.Locale.ROOT);
    return action.equals("FAIL") ? "**FAIL**" : action;
  }

  private static String version(PlannedDecision d) {
    String version = escape(d.version() == null ? "" : d.version());
    return d.replaces().isEmpty() ? version : escape(String.join(", ", d.replaces())) + " → " + version;
  }

  private static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /** A code span: nothing in it is Markdown, so only a backtick (which would end it) is replaced. */
  static String code(String text) {
    return "`" + (text == null ? "" : text.replace('`', '\'').replace('\n', ' ')) + "`";
  }

  /** Markdown-inert: no table breaks, no HTML, no links, no emphasis from text a repository wrote. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (char c : text.replace('\n', ' ').replace('\r', ' ').toCharArray()) {
      if ("\\`*_{}[]()<>#|!~".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
