package io.garden.cli;

/** The exit codes every command uses, as the old Make targets did. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Findings (validation errors, stale files) or a failed operation. */
  public static final int FINDINGS = 1;
  /** The command line itself was wrong. */
  public static final int USAGE = 2;
  /** Stopped by Ctrl+C (128 + SIGINT), as a shell reports it. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {
  }
}
