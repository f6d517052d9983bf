package io.garden.build.suite;

import java.util.List;

/**
 * What an extension's own test suite did.
 *
 * @param tool       how the suite is named ("pytest")
 * @param passed     null when nothing ran (a tool missing on the host, for {@code garden test --on-host})
 * @param detail     one line: the exit code, the timeout, or why it could not run
 * @param outputTail the last lines the suite printed
 */
public record SuiteResult(String tool, Boolean passed, String detail, List<String> outputTail) {

  public SuiteResult {
    outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
  }
}
