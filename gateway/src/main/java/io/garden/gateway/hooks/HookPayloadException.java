package io.garden.gateway.hooks;

/** A webhook body that is signed but not the shape its event promises: a 400 naming what is missing. */
public final class HookPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HookPayloadException(String message) {
    super(message);
  }
}
