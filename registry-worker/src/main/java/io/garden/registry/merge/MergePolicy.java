package io.garden.registry.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.registry.RegistryEntry;
import io.garden.registry.range.RangeRelation;
import io.garden.registry.range.VersionRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Version-aware upsert (SPEC §7): a pure function of the remote entries, the new entries and the forced names.
 * Deterministic (the merged index is sorted by name, then version) and idempotent (publishing what is already
 * published is {@link Action#UNCHANGED}, not a failure).
 */
public final class MergePolicy {

  private static final Comparator<RegistryEntry> ORDER = Comparator.comparing(RegistryEntry::name)
      .thenComparing(RegistryEntry::semver).thenComparing(RegistryEntry::rangeText);

  private MergePolicy() {
  }

  public static MergePlan merge(List<ObjectNode> remote, List<ObjectNode> incoming, Set<String> force) {
    List<RegistryEntry> merged = new ArrayList<>(remote.stream().map(RegistryEntry::new).toList());
    List<RegistryEntry> news = new ArrayList<>(incoming.stream().map(RegistryEntry::new).toList());
    news.sort(ORDER);
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < news.size(); i++) {
      RegistryEntry entry = news.get(i);
      Decision duplicate = duplicateOf(news, i);
      Decision decision = duplicate != null ? duplicate
          : force.contains(entry.name()) ? forced(entry, merged) : decide(entry, merged);
      decisions.add(decision);
    }
    if (decisions.stream().anyMatch(Decision::failed)) {
      return new MergePlan(decisions, remote);
    }
    merged.sort(ORDER);
    return new MergePlan(decisions, merged.stream().map(RegistryEntry::json).toList());
  }

  /** Applies the table to one new entry; on success it also updates {@code merged}. */
  private static Decision decide(RegistryEntry entry, List<RegistryEntry> merged) {
    VersionRange range;
    try {
      range = entry.range();
      entry.semver();
    } catch (IllegalArgumentException e) {
      return fail(entry, e.getMessage());
    }
    if (range.isEmpty()) {
      return fail(entry, "kamiwaza_version " + entry.rangeText() + " admits no platform version");
    }
    List<RegistryEntry> replaced = new ArrayList<>();
    boolean unchanged = false;
    for (RegistryEntry old : merged.stream().filter(o -> o.name().equals(entry.name())).toList()) {
      RangeRelation relation = RangeRelation.of(range, old.range());
      switch (relation) {
        case DISJOINT -> { }
        case SAME -> {
          int cmp = entry.semver().compareTo(old.semver());
          if (cmp > 0) {
            replaced.add(old);
          } else if (cmp < 0) {
            return fail(entry, "Cannot downgrade from " + old.version() + " to " + entry.version());
          } else if (old.json().equals(entry.json())) {
            unchanged = true;
          } else {
            return fail(entry, "Cannot mutate existing version " + entry.version());
          }
        }
        case SUPERSET -> replaced.add(old);
        case SUBSET -> {
          return fail(entry, "Cannot narrow kamiwaza_version from " + old.rangeText() + " to " + entry.rangeText());
        }
        case PARTIAL -> {
          return fail(entry, "Partial overlap between " + old.rangeText() + " and " + entry.rangeText()
              + " requires manual resolution");
        }
      }
    }
    if (unchanged && replaced.isEmpty()) {
      return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.UNCHANGED, List.of(), null);
    }
    merged.removeAll(replaced);
    merged.add(entry);
    if (replaced.isEmpty()) {
      return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.INSERT, List.of(), null);
    }
    return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.REPLACE,
        replaced.stream().map(r -> r.version() + " (" + r.rangeText() + ")").toList(), null);
  }

  private static Decision forced(RegistryEntry entry, List<RegistryEntry> merged) {
    List<RegistryEntry> replaced = merged.stream().filter(o -> o.name().equals(entry.name())).toList();
    merged.removeAll(replaced);
    merged.add(entry);
    return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.FORCE,
        replaced.stream().map(r -> r.version() + " (" + r.rangeText() + ")").toList(), "forced");
  }

  /** Two local entries of one name whose ranges overlap cannot both be published. */
  private static Decision duplicateOf(List<RegistryEntry> news, int index) {
    RegistryEntry entry = news.get(index);
    for (int j = 0; j < index; j++) {
      RegistryEntry other = news.get(j);
      if (other.name().equals(entry.name())
          && !other.range().intersect(entry.range()).isEmpty()) {
        return fail(entry, "Two local entries named " + entry.name() + " overlap (" + other.rangeText() + " and "
            + entry.rangeText() + ")");
      }
    }
    return null;
  }

  private static Decision fail(RegistryEntry entry, String message) {
    return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.FAIL, List.of(), message);
  }
}
