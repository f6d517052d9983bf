package io.garden.registry.merge;

import io.garden.registry.IndexEntry;
import io.garden.registry.range.RangeRelation;
import io.garden.registry.range.VersionRange;
import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Version-aware upsert (SPEC §7): a pure function of the remote entries, the new entries and the forced names.
 * Deterministic (the merged index is sorted by name, then version) and idempotent (publishing what is already
 * published is {@link Action#UNCHANGED}, not a failure). Linear in the index size: entries are grouped by name,
 * and ranges and versions are parsed once per distinct text.
 */
public final class MergePolicy {

  private MergePolicy() {
  }

  /** An entry with its parsed name, version and range; a null {@code problem} means it parsed. */
  private record Parsed(IndexEntry json, String name, String version, Semver semver, String rangeText,
                        VersionRange range, String problem) {
  }

  /** Parses each distinct range and version text once: indexes repeat a handful of ranges many times. */
  private static final class Parser {
    private final Map<String, Object> ranges = new HashMap<>();
    private final Map<String, Semver> versions = new HashMap<>();
    private final Map<String, RangeRelation> relations = new HashMap<>();

    /** The relation of two ranges, computed once per pair of texts. */
    RangeRelation relation(Parsed newer, Parsed older) {
      return relations.computeIfAbsent(newer.rangeText() + '\u0000' + older.rangeText(),
          k -> RangeRelation.of(newer.range(), older.range()));
    }

    Parsed parse(IndexEntry e) {
      String rangeText = e.rangeText();
      Object range = ranges.computeIfAbsent(rangeText, text -> {
        try {
          return VersionRange.parse(text);
        } catch (IllegalArgumentException bad) {
          return bad.getMessage();
        }
      });
      String version = e.version();
      Semver semver = version == null ? null : versions.computeIfAbsent(version, Semver::parse);
      String problem = range instanceof String message ? message
          : semver == null ? "entry " + e.name() + " has an invalid version: " + version : null;
      return new Parsed(e, e.name(), version, semver, rangeText,
          range instanceof VersionRange r ? r : null, problem);
    }
  }

  private static final Comparator<Parsed> ORDER = Comparator.comparing(Parsed::name)
      .thenComparing(Parsed::semver, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(Parsed::rangeText);

  public static MergePlan merge(List<IndexEntry> remote, List<IndexEntry> incoming, Set<String> force) {
    Parser parser = new Parser();
    Map<String, List<Parsed>> byName = new LinkedHashMap<>();
    for (IndexEntry json : remote) {
      Parsed p = parser.parse(json);
      byName.computeIfAbsent(p.name(), k -> new ArrayList<>(2)).add(p);
    }
    List<Parsed> news = new ArrayList<>(incoming.size());
    incoming.forEach(json -> news.add(parser.parse(json)));
    news.sort(ORDER);
    Map<String, List<Parsed>> seen = new HashMap<>();
    List<Decision> decisions = new ArrayList<>(news.size());
    boolean failed = false;
    for (Parsed entry : news) {
      Decision duplicate = duplicateOf(entry, seen.computeIfAbsent(entry.name(), k -> new ArrayList<>(1)));
      List<Parsed> sameName = byName.computeIfAbsent(entry.name(), k -> new ArrayList<>(2));
      Decision decision = duplicate != null ? duplicate
          : force.contains(entry.name()) ? forced(entry, sameName) : decide(entry, sameName, parser);
      failed |= decision.failed();
      decisions.add(decision);
    }
    if (failed) {
      return new MergePlan(decisions, remote);
    }
    List<Parsed> merged = new ArrayList<>(remote.size() + news.size());
    byName.values().forEach(merged::addAll);
    merged.sort(ORDER);
    return new MergePlan(decisions, merged.stream().map(Parsed::json).toList());
  }

  /** Applies the table to one new entry; on success it also updates {@code sameName}, the entries of its name. */
  private static Decision decide(Parsed entry, List<Parsed> sameName, Parser parser) {
    if (entry.problem() != null) {
      return fail(entry, entry.problem());
    }
    if (entry.range().isEmpty()) {
      return fail(entry, "kamiwaza_version " + entry.rangeText() + " admits no platform version");
    }
    List<Parsed> replaced = new ArrayList<>();
    boolean unchanged = false;
    for (Parsed old : sameName) {
      if (old.problem() != null) {
        return fail(entry, "the published entry " + old.name() + " " + old.version() + " is unreadable: "
            + old.problem());
      }
      switch (parser.relation(entry, old)) {
        case DISJOINT -> { }
        case SAME -> {
          int cmp = entry.semver().compareTo(old.semver());
          if (cmp > 0) {
            replaced.add(old);
          } else if (cmp < 0) {
            return fail(entry, "Cannot downgrade from " + old.version() + " to " + entry.version());
          } else if (old.json().sameUpToPins(entry.json())) {
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
      return decision(entry, Action.UNCHANGED, List.of(), null);
    }
    sameName.removeAll(replaced);
    sameName.add(entry);
    return decision(entry, replaced.isEmpty() ? Action.INSERT : Action.REPLACE, replaced, null);
  }

  private static Decision forced(Parsed entry, List<Parsed> sameName) {
    List<Parsed> replaced = List.copyOf(sameName);
    sameName.clear();
    sameName.add(entry);
    return decision(entry, Action.FORCE, replaced, "forced");
  }

  /** Two local entries of one name whose ranges overlap cannot both be published. */
  private static Decision duplicateOf(Parsed entry, List<Parsed> earlierOfName) {
    for (Parsed other : earlierOfName) {
      if (entry.range() != null && other.range() != null && !other.range().intersect(entry.range()).isEmpty()) {
        return fail(entry, "Two local entries named " + entry.name() + " overlap (" + other.rangeText() + " and "
            + entry.rangeText() + ")");
      }
    }
    earlierOfName.add(entry);
    return null;
  }

  private static Decision decision(Parsed entry, Action action, List<Parsed> replaced, String message) {
    return new Decision(entry.name(), entry.version(), entry.rangeText(), action,
        replaced.stream().map(r -> r.version() + " (" + r.rangeText() + ")").toList(), message);
  }

  private static Decision fail(Parsed entry, String message) {
    return new Decision(entry.name(), entry.version(), entry.rangeText(), Action.FAIL, List.of(), message);
  }
}
