package io.garden.registry.merge;

import io.garden.registry.IndexEntry;

import java.util.List;

/** The decisions for every new entry and, when none failed, the merged index to write. */
public record MergePlan(List<Decision> decisions, List<IndexEntry> merged) {

  public MergePlan {
    decisions = List.copyOf(decisions);
    merged = List.copyOf(merged);
  }

  public boolean failed() {
    return decisions.stream().anyMatch(Decision::failed);
  }

  /** True when publishing would change nothing (everything already published as is). */
  public boolean noChange() {
    return decisions.stream().allMatch(d -> d.action() == Action.UNCHANGED);
  }

  public long count(Action action) {
    return decisions.stream().filter(d -> d.action() == action).count();
  }

  public List<Decision> failures() {
    return decisions.stream().filter(Decision::failed).toList();
  }
}
