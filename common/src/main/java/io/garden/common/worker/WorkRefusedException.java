package io.garden.common.worker;

/**
 * The work ran and a rule said no (a FAIL decision in a publish, a live lock): the request was fine, so it is a
 * failed step with {@code errorKind=findings} and its events, never a dead letter. Not retried.
 */
public class WorkRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkRefusedException(String message) {
    super(message);
  }
}
