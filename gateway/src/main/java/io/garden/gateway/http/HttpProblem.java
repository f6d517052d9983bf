package io.garden.gateway.http;

/** A request the API answers with a 4xx and a JSON error: the status and a message in the caller's words. */
public class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int retryAfterSeconds;

  public HttpProblem(int status, String message) {
    this(status, message, 0);
  }

  /** @param retryAfterSeconds said as {@code Retry-After} (a 429 or 503 the caller may retry); 0 for none */
  public HttpProblem(int status, String message, int retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
