package io.garden.gateway.http;

/** A request the API answers with a 4xx and a JSON error: the status and a message in the caller's words. */
public class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
