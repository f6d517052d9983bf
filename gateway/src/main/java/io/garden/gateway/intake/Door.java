package io.garden.gateway.intake;

/** How a request came in. Each door authenticates in its own way; all of them are authorised by one policy. */
public enum Door {
  /** The HTTP API: a bearer credential (a named token, or the one shared GARDEN_API_TOKEN). */
  API("api"),
  /** A git host's webhook: a verified signature or token; the principal is the sender. */
  WEBHOOK("webhook"),
  /** A Slack slash command: a verified signature; the principal is the Slack user. */
  CHAT("chat");

  private final String wire;

  Door(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
