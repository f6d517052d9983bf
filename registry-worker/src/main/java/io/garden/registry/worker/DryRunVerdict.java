package io.garden.registry.worker;

import io.garden.common.model.Stage;
import io.garden.registry.merge.Decision;
import io.garden.registry.merge.MergePlan;
import io.garden.registry.publish.PublishOutcome;

import java.util.List;

/**
 * What a publish dry run says about the publish it rehearsed, in one line: it would succeed and write nothing now,
 * or it would FAIL and why. A pipeline's dry run fails its step when the publish would, as the same dry run exits 1
 * at a terminal; the decision table itself travels as {@code publish.planned}.
 */
final class DryRunVerdict {

  static final String WOULD_FAIL = "dry run: publish would FAIL";

  private DryRunVerdict() {
  }

  static String of(Stage stage, PublishOutcome outcome) {
    List<Decision> failures = outcome.plans().values().stream().map(MergePlan::failures).flatMap(List::stream)
        .toList();
    if (failures.isEmpty()) {
      return "dry run against " + stage.id() + ": nothing written";
    }
    Decision first = failures.get(0);
    return WOULD_FAIL + " on " + stage.id() + " (" + failures.size() + " refused): " + first.name() + " "
        + first.version() + ": " + first.message();
  }
}
