package io.garden.cli;

import java.util.Arrays;

/** The one check of a {@code --format} value, whichever command takes it. */
final class OutputFormat {

  private OutputFormat() {
  }

  /** @throws IllegalArgumentException naming the formats the command takes */
  static void check(String given, String... allowed) {
    if (!Arrays.asList(allowed).contains(given)) {
      throw new IllegalArgumentException("Error: --format is " + String.join(" or ", allowed) + ", not '" + given
          + "'");
    }
  }
}
