package io.garden.common.worker;

import io.garden.common.event.FailureKind;

/**
 * The work ran and a rule said no (a FAIL decision in a publish, a live lock): the request was fine, so it is a
 * failed step with {@code errorKind=findings} and its events, never a dead letter. Not retried.
 */
public class WorkRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient FailureKind kind;

  public WorkRefusedException(String message) {
    this(message, FailureKind.FINDINGS);
  }

  /** @param kind how the {@code step.failed} names it, when the coordinator must tell it from other findings */
  public WorkRefusedException(String message, FailureKind kind) {
    super(message);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
