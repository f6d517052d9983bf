package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What `garden --help` and each command's help say is written for users. */
class HelpTextTest {

  private static final Pattern COMMAND_LINE = Pattern.compile("^  ([a-z][a-z-]*) +(\\S.*)$");
  private static final Pattern CONTINUATION = Pattern.compile("^ {20,}(\\S.*)$");

  @Test
  @DisplayName("every command's summary in garden --help is a whole sentence: a capital first, a full stop last")
  void summariesAreSentences() {
    Map<String, String> summaries = summaries(CliRun.of("--help").out());

    assertThat(summaries).hasSizeGreaterThan(20);
    summaries.forEach((command, summary) -> assertThat(summary).as(command)
        .matches("[A-Z].*[.)]").doesNotEndWith(" ."));
  }

  @Test
  @DisplayName("no help text points users at section numbers of internal documents")
  void noInternalSectionNumbers() {
    String top = CliRun.of("--help").out();
    List<String> helps = new ArrayList<>(List.of(top));
    summaries(top).keySet().forEach(command -> helps.add(CliRun.of(command, "--help").out()));

    assertThat(helps).allSatisfy(help -> assertThat(help).doesNotContain("§").doesNotContainPattern("SPEC\\b"));
  }

  /** The Commands: section as command → summary, wrapped lines joined. */
  private static Map<String, String> summaries(String help) {
    Map<String, String> summaries = new LinkedHashMap<>();
    String current = null;
    boolean inCommands = false;
    for (String line : help.split("\n")) {
      if (line.equals("Commands:")) {
        inCommands = true;
        continue;
      }
      if (!inCommands) {
        continue;
      }
      Matcher command = COMMAND_LINE.matcher(line);
      Matcher more = CONTINUATION.matcher(line);
      if (command.matches()) {
        current = command.group(1);
        summaries.put(current, command.group(2).strip());
      } else if (more.matches() && current != null) {
        summaries.merge(current, more.group(1).strip(), (a, b) -> a + " " + b);
      } else if (!line.isBlank()) {
        break;
      }
    }
    return summaries;
  }
}
