package io.garden.cli.warm;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The warm server's log (stdout, which the launcher sends to {@code STATE_FILE.log}, new for each server). Life
 * events are always written; a line per command only up to {@link #MAX_COMMAND_LINES}, so a server that lives for
 * days of commands keeps a log of bounded size.
 */
final class WarmLog {

  static final int MAX_COMMAND_LINES = 10_000;
  private static final AtomicInteger COMMAND_LINES = new AtomicInteger();

  private WarmLog() {
  }

  static void line(String text) {
    System.out.println(Instant.now() + " " + text);
  }

  static void command(String text) {
    int n = COMMAND_LINES.incrementAndGet();
    if (n < MAX_COMMAND_LINES) {
      line(text);
    } else if (n == MAX_COMMAND_LINES) {
      line("(commands are no longer logged: " + MAX_COMMAND_LINES + " lines is enough to read)");
    }
  }
}
