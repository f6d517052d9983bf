package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The publish actions a worker request may name; anything else is refused when the request is decoded. */
public enum PublishAction implements WireName {
  PUBLISH("publish"),
  FORCE("force"),
  DIRECT("direct"),
  UNPUBLISH("unpublish"),
  RESTORE("restore"),
  REMOVE_LOCK("remove-lock"),
  /** Removes the lock even though its lease is live: its holder may still be publishing (an operator's call). */
  FORCE_REMOVE_LOCK("force-remove-lock"),
  /** With {@code name}, {@code from} and optionally {@code version}: publish on this stage what {@code from} holds. */
  PROMOTE("promote");

  private final String wire;

  PublishAction(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static PublishAction parse(String value) {
    return WireName.parse(PublishAction.class, "publish action", value);
  }

  /** The pipeline step this is part of, as step events name it. */
  public StepName stepName() {
    return switch (this) {
      case PUBLISH -> StepName.PUBLISH_REGISTRY;
      case FORCE -> StepName.PUBLISH_REGISTRY;
      case DIRECT -> StepName.PUBLISH_REGISTRY;
      case UNPUBLISH -> StepName.UNPUBLISH;
      case RESTORE -> StepName.RESTORE_REGISTRY;
      case REMOVE_LOCK, FORCE_REMOVE_LOCK -> StepName.REMOVE_PUBLISH_LOCK;
      case PROMOTE -> StepName.PROMOTE;
    };
  }

  @Override
  public String toString() {
    return wire;
  }
}
