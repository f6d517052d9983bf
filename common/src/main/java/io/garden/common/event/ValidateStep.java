package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The validate steps a worker request may name; anything else is refused when the request is decoded. */
public enum ValidateStep implements WireName {
  SYNC_COMPOSE("sync-compose"),
  CHECK("check"),
  VALIDATE("validate");

  private final String wire;

  ValidateStep(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static ValidateStep parse(String value) {
    return WireName.parse(ValidateStep.class, "step", value);
  }

  /** The pipeline step this is part of, as step events name it. */
  public StepName stepName() {
    return switch (this) {
      case SYNC_COMPOSE -> StepName.SYNC_COMPOSE;
      case CHECK -> StepName.CHECK;
      case VALIDATE -> StepName.VALIDATE;
    };
  }

  @Override
  public String toString() {
    return wire;
  }
}
