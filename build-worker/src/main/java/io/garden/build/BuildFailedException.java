package io.garden.build;

import java.util.List;

/** An image build that failed: which step, and the last lines of its output (what a person needs to fix it). */
public final class BuildFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String step;
  private final List<String> outputTail;

  public BuildFailedException(String message, String step, List<String> outputTail) {
    super(message + (step == null ? "" : " at " + step) + (outputTail.isEmpty() ? ""
        : "\n" + String.join("\n", outputTail)));
    this.step = step;
    this.outputTail = List.copyOf(outputTail);
  }

  public String step() {
    return step;
  }

  public List<String> outputTail() {
    return outputTail;
  }
}
