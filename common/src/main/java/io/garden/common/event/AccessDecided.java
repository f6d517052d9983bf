package io.garden.common.event;

/**
 * {@code access.decided}: an authorisation decision on a request through any door (the API, a webhook, a chat
 * command), allowed or denied, and why. The audit stream holds every decision that could change something, and
 * every refusal.
 *
 * @param actor   the authenticated principal ({@code api:ci-bot}, {@code slack:U123}, {@code github:alice})
 * @param action  what was asked
 * @param stage   the stage it concerns, or null
 * @param door    how the request came in ({@code api}, {@code webhook}, {@code chat}), or null in old events
 * @param target  what it was asked of: the extensions (comma-separated, {@code all}, {@code changed}) or a pipeline
 *                id; null when nothing more specific applies
 */
public record AccessDecided(String actor, AccessAction action, String stage, boolean allowed, String reason,
                            String door, String target) implements EventPayload {

  /** An event written before doors and targets were recorded. */
  public AccessDecided(String actor, AccessAction action, String stage, boolean allowed, String reason) {
    this(actor, action, stage, allowed, reason, null, null);
  }
}
