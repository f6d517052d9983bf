package io.garden.registry.range;

import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code kamiwaza_version} as the exact set of platform versions it admits: a canonical union of disjoint
 * intervals over semantic-version order. Two ranges admit the same versions exactly when they are equal, which is
 * what makes {@link RangeRelation} exact (the old tool sampled versions 0.0.0–2.19.4 and was wrong beyond 2.x).
 */
public final class VersionRange {

  private static final Pattern CLAUSE =
      Pattern.compile("(>=|<=|==|!=|~=|>|<)?\\s*v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

  /** One end of an interval; a null version is unbounded. */
  record Bound(Semver version, boolean inclusive) {
    boolean unbounded() {
      return version == null;
    }
  }

  /** [lower, upper] with each end inclusive or not. */
  record Interval(Bound lower, Bound upper) {
    boolean isEmpty() {
      if (lower.unbounded() || upper.unbounded()) {
        return false;
      }
      int c = lower.version().compareTo(upper.version());
      return c > 0 || c == 0 && !(lower.inclusive() && upper.inclusive());
    }

    @Override
    public String toString() {
      String lo = lower.unbounded() ? "(-∞" : (lower.inclusive() ? "[" : "(") + lower.version();
      String hi = upper.unbounded() ? "+∞)" : upper.version() + (upper.inclusive() ? "]" : ")");
      return lo + ", " + hi;
    }
  }

  private static final Bound NO_LOWER = new Bound(null, false);
  private static final Bound NO_UPPER = new Bound(null, false);

  private final String text;
  private final List<Interval> intervals;

  private VersionRange(String text, List<Interval> intervals) {
    this.text = text;
    this.intervals = canonical(intervals);
  }

  public static VersionRange any() {
    return new VersionRange("*", List.of(new Interval(NO_LOWER, NO_UPPER)));
  }

  /**
   * Parses {@code kamiwaza_version}: comma-separated clauses ANDed together; empty, null or {@code *} is any.
   *
   * @throws IllegalArgumentException with the old validator's message when the text is malformed
   */
  public static VersionRange parse(String value) {
    if (value == null || value.isBlank() || value.trim().equals("*")) {
      return new VersionRange(value == null ? "*" : value.trim(), any().intervals);
    }
    List<Interval> result = any().intervals;
    for (String raw : value.split(",", -1)) {
      Matcher m = CLAUSE.matcher(raw.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("Invalid kamiwaza_version format: " + value
            + " (expected format like '>=0.8.0' or '>=0.8.0,<1.0.0')");
      }
      result = intersect(result, clause(m));
    }
    return new VersionRange(value.trim(), result);
  }

  private static List<Interval> clause(Matcher m) {
    String op = m.group(1) == null ? "==" : m.group(1);
    int major = Integer.parseInt(m.group(2));
    int minor = Integer.parseInt(m.group(3));
    boolean hasPatch = m.group(4) != null;
    int patch = hasPatch ? Integer.parseInt(m.group(4)) : 0;
    Semver v = new Semver(major + "." + minor + "." + patch + (m.group(5) == null ? "" : m.group(5)));
    return switch (op) {
      case ">=" -> List.of(new Interval(new Bound(v, true), NO_UPPER));
      case ">" -> List.of(new Interval(new Bound(v, false), NO_UPPER));
      case "<=" -> List.of(new Interval(NO_LOWER, new Bound(v, true)));
      case "<" -> List.of(new Interval(NO_LOWER, new Bound(v, false)));
      case "!=" -> List.of(new Interval(NO_LOWER, new Bound(v, false)), new Interval(new Bound(v, false), NO_UPPER));
      // Compatible release, as in Python: ~=1.4.5 is >=1.4.5,<1.5.0; ~=2.2 is >=2.2,<3.0.
      case "~=" -> List.of(new Interval(new Bound(v, true), new Bound(hasPatch
          ? Semver.of(major, minor + 1, 0) : Semver.of(major + 1, 0, 0), false)));
      default -> List.of(new Interval(new Bound(v, true), new Bound(v, true)));
    };
  }

  public boolean isEmpty() {
    return intervals.isEmpty();
  }

  public boolean contains(String version) {
    Semver v = new Semver(version);
    return intervals.stream().anyMatch(i -> aboveLower(v, i.lower()) && belowUpper(v, i.upper()));
  }

  public VersionRange union(VersionRange other) {
    List<Interval> all = new ArrayList<>(intervals);
    all.addAll(other.intervals);
    return new VersionRange(text + " ∪ " + other.text, all);
  }

  public VersionRange intersect(VersionRange other) {
    // The text only matters in messages, which never show an intersection: skip building it.
    return new VersionRange("(intersection)", intersect(intervals, other.intervals));
  }

  /** The text it was parsed from, for messages. */
  public String text() {
    return text;
  }

  List<Interval> intervals() {
    return intervals;
  }

  /** Same set of versions. */
  public boolean sameSetAs(VersionRange other) {
    if (intervals.size() != other.intervals.size()) {
      return false;
    }
    for (int i = 0; i < intervals.size(); i++) {
      Interval a = intervals.get(i);
      Interval b = other.intervals.get(i);
      if (compareLower(a.lower(), b.lower()) != 0 || compareUpper(a.upper(), b.upper()) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text + " = " + (intervals.isEmpty() ? "∅" : String.join(" ∪ ",
        intervals.stream().map(Interval::toString).toList()));
  }

  private static List<Interval> intersect(List<Interval> a, List<Interval> b) {
    List<Interval> out = new ArrayList<>();
    for (Interval x : a) {
      for (Interval y : b) {
        Bound lower = compareLower(x.lower(), y.lower()) >= 0 ? x.lower() : y.lower();
        Bound upper = compareUpper(x.upper(), y.upper()) <= 0 ? x.upper() : y.upper();
        Interval i = new Interval(lower, upper);
        if (!i.isEmpty()) {
          out.add(i);
        }
      }
    }
    return canonical(out);
  }

  /** Sorted, empty ones dropped, overlapping or touching ones merged: one representation per set. */
  private static List<Interval> canonical(List<Interval> input) {
    List<Interval> sorted = new ArrayList<>(input.stream().filter(i -> !i.isEmpty()).toList());
    sorted.sort(Comparator.comparing(Interval::lower, VersionRange::compareLower));
    List<Interval> out = new ArrayList<>();
    for (Interval next : sorted) {
      if (!out.isEmpty() && touches(out.get(out.size() - 1), next)) {
        Interval last = out.remove(out.size() - 1);
        Bound upper = compareUpper(last.upper(), next.upper()) >= 0 ? last.upper() : next.upper();
        out.add(new Interval(last.lower(), upper));
      } else {
        out.add(next);
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code next} (starting at or after {@code last}) overlaps it or continues it without a gap. */
  private static boolean touches(Interval last, Interval next) {
    if (last.upper().unbounded() || next.lower().unbounded()) {
      return true;
    }
    int c = next.lower().version().compareTo(last.upper().version());
    return c < 0 || c == 0 && (last.upper().inclusive() || next.lower().inclusive());
  }

  /** Lower bounds: unbounded first; at the same version an inclusive bound starts earlier. */
  static int compareLower(Bound a, Bound b) {
    if (a.unbounded() || b.unbounded()) {
      return Boolean.compare(!a.unbounded(), !b.unbounded());
    }
    int c = a.version().compareTo(b.version());
    return c != 0 ? c : Boolean.compare(!a.inclusive(), !b.inclusive());
  }

  /** Upper bounds: unbounded last; at the same version an exclusive bound ends earlier. */
  static int compareUpper(Bound a, Bound b) {
    if (a.unbounded() || b.unbounded()) {
      return Boolean.compare(a.unbounded(), b.unbounded());
    }
    int c = a.version().compareTo(b.version());
    return c != 0 ? c : Boolean.compare(a.inclusive(), b.inclusive());
  }

  private static boolean aboveLower(Semver v, Bound lower) {
    if (lower.unbounded()) {
      return true;
    }
    int c = v.compareTo(lower.version());
    return c > 0 || c == 0 && lower.inclusive();
  }

  private static boolean belowUpper(Semver v, Bound upper) {
    if (upper.unbounded()) {
      return true;
    }
    int c = v.compareTo(upper.version());
    return c < 0 || c == 0 && upper.inclusive();
  }
}
