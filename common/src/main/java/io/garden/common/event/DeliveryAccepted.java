package io.garden.common.event;

/**
 * {@code delivery.accepted}: a webhook delivery started the pipeline of its envelope. The gateway rebuilds its
 * de-duplication window from these after a restart, so a redelivery finds the pipeline its first delivery started.
 *
 * @param keys every key the delivery is known by (the delivery id, the idempotency key, the body hash)
 */
public record DeliveryAccepted(TriggerKind kind, java.util.List<String> keys) implements EventPayload {

  public DeliveryAccepted {
    keys = java.util.List.copyOf(keys);
  }
}
