package io.garden.common.event;

/**
 * {@code notification.sent}: a sink took the notice of one event (its 2xx answer arrived). Written beside the event
 * it announces (same partition, later offset), so a notifier that restarts before it committed that event finds,
 * from its committed position on, what it had already posted, and does not post it twice.
 *
 * @param event    the id of the event announced
 * @param sink     where it went ({@code slack}, {@code webhook})
 * @param notice   what it said, in one word ({@code pipeline-failed}, {@code published}, ...)
 * @param attempts how many posts it took
 */
public record NotificationSent(String event, String sink, String notice, int attempts) implements EventPayload {
}
