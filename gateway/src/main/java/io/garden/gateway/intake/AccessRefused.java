package io.garden.gateway.intake;

import io.garden.gateway.http.HttpProblem;

/** The policy said no: a 403 on the API and the webhooks, a "Not allowed" reply in the chat. */
public final class AccessRefused extends HttpProblem {
  private static final long serialVersionUID = 1L;

  public AccessRefused(String reason) {
    super(403, reason);
  }
}
