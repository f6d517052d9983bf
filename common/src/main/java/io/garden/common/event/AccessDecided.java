package io.garden.common.event;

/**
 * {@code access.decided}: an authorisation decision on a request from outside (a chat command, a webhook), allowed
 * or denied, and why. The audit stream holds every one of them.
 *
 * @param actor  who asked ({@code slack:U123}, {@code git:alice})
 * @param action what was asked
 * @param stage  the stage it concerns, or null
 */
public record AccessDecided(String actor, AccessAction action, String stage, boolean allowed, String reason)
    implements EventPayload {
}
