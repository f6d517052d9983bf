package io.garden.gateway.chatops;

import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishPlanned;

/** A publish's decision table as a chat message: one line per entry, and the verdict, as the terminal shows it. */
final class ChatTables {

  private ChatTables() {
  }

  static String decisions(PublishPlanned plan) {
    StringBuilder text = new StringBuilder(plan.dryRun() ? "Dry run — decisions for " : "Decisions for ")
        .append(plan.stage()).append(':');
    if (plan.decisions().isEmpty()) {
      text.append("\n• (nothing to publish)");
    }
    for (PlannedDecision d : plan.decisions()) {
      text.append("\n• ").append(d.name()).append(' ').append(d.version()).append(' ').append(d.action());
      if (d.message() != null) {
        text.append(" — ").append(d.message());
      } else if (!d.replaces().isEmpty()) {
        text.append(" — replaces ").append(String.join(", ", d.replaces()));
      }
    }
    if (plan.failed()) {
      text.append(plan.dryRun() ? "\nThe publish would FAIL: nothing was written." : "\nThe publish FAILED: nothing"
          + " was written.");
    }
    return text.toString();
  }
}
