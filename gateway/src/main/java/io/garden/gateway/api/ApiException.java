package io.garden.gateway.api;

/** A request the API answers with a 4xx and a JSON error: the status and a message in the caller's words. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
