package io.garden.registry.merge;

/** What publishing does with one new entry. */
public enum Action {
  /** No remote entry of that name, or every remote one is for a disjoint platform range: added alongside. */
  INSERT,
  /** Replaces the remote entries it supersedes (newer version in the same range, or a wider range). */
  REPLACE,
  /** The same version with the same content is already published: nothing to do (republishing is a no-op). */
  UNCHANGED,
  /** {@code --force} (dev only): replaces every remote entry of that name. */
  FORCE,
  /** Taken out of the index (unpublish, or a direct publish that no longer has it). */
  REMOVE,
  /** Refused; one refusal fails the whole publish and nothing is written. */
  FAIL
}
