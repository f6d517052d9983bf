package io.garden.gateway.intake;

import io.garden.gateway.http.HttpProblem;

/**
 * The intake said no, and recorded it as an {@code access.decided} event: a 403 on the API and the webhooks (a 429
 * when the principal has its share of pipelines running), a "Not allowed" reply in the chat.
 */
public final class AccessRefused extends HttpProblem {
  private static final long serialVersionUID = 1L;

  public AccessRefused(String reason) {
    super(403, reason);
  }

  AccessRefused(int status, String reason, int retryAfterSeconds) {
    super(status, reason, retryAfterSeconds);
  }
}
