package io.garden.registry.range;

/** How a new entry's platform range relates to a published one, as exact sets of versions (SPEC §7). */
public enum RangeRelation {
  /** Exactly the same versions. */
  SAME,
  /** The new range admits every version of the old one, and more. */
  SUPERSET,
  /** The new range admits only some of the old one's versions (and no others). */
  SUBSET,
  /** No version in common: the entries can coexist. */
  DISJOINT,
  /** Some versions in common, and each has versions the other lacks. */
  PARTIAL;

  /** The relation of {@code newer} to {@code older}. */
  public static RangeRelation of(VersionRange newer, VersionRange older) {
    if (newer.sameSetAs(older)) {
      return SAME;
    }
    VersionRange common = newer.intersect(older);
    if (common.isEmpty()) {
      return DISJOINT;
    }
    if (common.sameSetAs(older)) {
      return SUPERSET;
    }
    if (common.sameSetAs(newer)) {
      return SUBSET;
    }
    return PARTIAL;
  }
}
