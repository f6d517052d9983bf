package io.garden.registry.merge;

import io.garden.registry.IndexEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a write under the publish lock does to one index file, given its current remote entries. Re-run after every
 * conflicting write, so the decision is always made against what is really there.
 */
@FunctionalInterface
public interface Planner {

  MergePlan plan(String file, List<IndexEntry> remote);

  /**
   * Whether the decision depends on the current remote entries. A replacement does not: it must work even when the
   * current index is corrupt (that is what restore-registry is for).
   */
  default boolean needsCurrent() {
    return true;
  }

  /** publish-registry: the version-aware upsert. */
  static Planner upsert(java.util.function.Function<String, List<IndexEntry>> local, Set<String> force) {
    return (file, remote) -> MergePolicy.merge(remote, local.apply(file), force);
  }

  /** publish-registry-direct and restore-registry: the index becomes exactly {@code wanted}, no version checks. */
  static Planner replaceWith(java.util.function.Function<String, List<IndexEntry>> wanted) {
    Planner replace = (file, remote) -> {
      List<IndexEntry> target = wanted.apply(file);
      List<Decision> decisions = new ArrayList<>();
      for (IndexEntry e : target) {
        boolean existed = remote.stream().anyMatch(r -> r.name().equals(e.name()));
        boolean same = remote.contains(e);
        decisions.add(new Decision(e.name(), e.version(), e.rangeText(),
            same ? Action.UNCHANGED : existed ? Action.REPLACE : Action.INSERT, List.of(), null));
      }
      for (IndexEntry r : remote) {
        if (target.stream().noneMatch(e -> e.name().equals(r.name()))) {
          decisions.add(new Decision(r.name(), r.version(), r.rangeText(), Action.REMOVE, List.of(), null));
        }
      }
      return new MergePlan(decisions, target);
    };
    return new Planner() {
      @Override
      public MergePlan plan(String file, List<IndexEntry> remote) {
        return replace.plan(file, remote);
      }

      @Override
      public boolean needsCurrent() {
        return false;
      }
    };
  }

  /** unpublish NAME: every entry of that name leaves the index. */
  static Planner remove(String name) {
    return remove(name, null);
  }

  /** unpublish NAME --version V: that one version leaves the index (every version when {@code version} is null). */
  static Planner remove(String name, String version) {
    java.util.function.Predicate<IndexEntry> goes = r -> r.name().equals(name)
        && (version == null || version.equals(r.version()));
    return (file, remote) -> {
      List<Decision> decisions = remote.stream().filter(goes)
          .map(r -> new Decision(name, r.version(), r.rangeText(), Action.REMOVE, List.of(), null)).toList();
      List<IndexEntry> kept = remote.stream().filter(goes.negate()).toList();
      return new MergePlan(decisions.isEmpty() ? List.of() : decisions, kept);
    };
  }
}
