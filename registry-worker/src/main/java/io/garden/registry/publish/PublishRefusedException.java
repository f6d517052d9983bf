package io.garden.registry.publish;

import io.garden.common.worker.WorkRefusedException;

/** A publish that must not go ahead (a FAIL decision, a live lock, an unsafe store). Nothing was written. */
public final class PublishRefusedException extends WorkRefusedException {
  private static final long serialVersionUID = 1L;

  public PublishRefusedException(String message) {
    super(message);
  }
}
