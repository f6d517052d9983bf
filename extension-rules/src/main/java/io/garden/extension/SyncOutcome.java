package io.garden.extension;

/** What sync-compose did (or, with --check, would do) for one extension. */
public enum SyncOutcome {
  /** The appgarden file already matches. */
  UP_TO_DATE,
  /** The appgarden file was (re)written. */
  WRITTEN,
  /** --check: the appgarden file is missing or differs. */
  STALE,
  /** Nothing to sync: no docker-compose.yml (a tool with an image). */
  SKIPPED,
  /** Could not sync: the findings say why. */
  FAILED
}
