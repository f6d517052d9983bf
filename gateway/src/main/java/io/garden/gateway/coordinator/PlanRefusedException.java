package io.garden.gateway.coordinator;

/** A pipeline request that cannot run as asked; the message says why in the user's words. */
public final class PlanRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlanRefusedException(String message) {
    super(message);
  }
}
