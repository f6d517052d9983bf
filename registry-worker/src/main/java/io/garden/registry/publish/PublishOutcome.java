package io.garden.registry.publish;

import io.garden.registry.merge.Action;
import io.garden.registry.merge.MergePlan;

import java.util.Map;

/** What a publish decided per index file, whether it wrote, and the backup it took. */
public record PublishOutcome(Map<String, MergePlan> plans, boolean written, String backup) {

  public PublishOutcome {
    plans = Map.copyOf(plans);
  }

  public int count(Action action) {
    return (int) plans.values().stream().mapToLong(p -> p.count(action)).sum();
  }
}
