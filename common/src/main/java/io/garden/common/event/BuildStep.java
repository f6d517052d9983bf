package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The build steps a worker request may name; anything else is refused when the request is decoded. */
public enum BuildStep implements WireName {
  BUILD("build"),
  TEST("test"),
  PUSH("push");

  private final String wire;

  BuildStep(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static BuildStep parse(String value) {
    return WireName.parse(BuildStep.class, "step", value);
  }

  /** The pipeline step this is part of, as step events name it. */
  public StepName stepName() {
    return switch (this) {
      case BUILD -> StepName.BUILD;
      case TEST -> StepName.TEST;
      case PUSH -> StepName.PUSH;
    };
  }

  @Override
  public String toString() {
    return wire;
  }
}
