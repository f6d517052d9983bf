package io.garden.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --lock-wait}: how long a command that takes the publish lock waits for another holder. */
public final class LockWaitOption {

  @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for a publish lock another publisher holds (default: 120).")
  long lockWaitSeconds;

  public Duration lockWait() {
    return Duration.ofSeconds(lockWaitSeconds);
  }
}
