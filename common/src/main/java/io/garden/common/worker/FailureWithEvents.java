package io.garden.common.worker;

import io.garden.common.event.EventPayload;

import java.util.List;

/**
 * A failure that already produced events worth keeping (a decision table, lock changes, the publish failure itself):
 * the worker emits them before its {@code step.failed}. Its kind is its cause's kind.
 */
public final class FailureWithEvents extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<EventPayload> events;

  public FailureWithEvents(RuntimeException cause, List<EventPayload> events) {
    super(cause.getMessage(), cause);
    this.events = List.copyOf(events);
  }

  public List<EventPayload> events() {
    return events;
  }
}
