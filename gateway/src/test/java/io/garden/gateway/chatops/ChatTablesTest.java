package io.garden.gateway.chatops;

import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishPlanned;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatTablesTest {

  @Test
  @DisplayName("a dry run's decisions reach the channel line by line, with the verdict a terminal would print")
  void dryRunTable() {
    PublishPlanned plan = new PublishPlanned("prod", "store", true, true, List.of(
        new PlannedDecision("apps.json", "team-notes", "1.4.2", ">=0.8.0", "FAIL", List.of(),
            "Cannot mutate existing version 1.4.2"),
        new PlannedDecision("tools.json", "tool-websearch", "2.0.0", ">=0.8.0", "REPLACE", List.of("1.9.0"), null)));

    assertThat(ChatTables.decisions(plan)).isEqualTo("""
        Dry run — decisions for prod:
        • team-notes 1.4.2 FAIL — Cannot mutate existing version 1.4.2
        • tool-websearch 2.0.0 REPLACE — replaces 1.9.0
        The publish would FAIL: nothing was written.""");
  }
}
