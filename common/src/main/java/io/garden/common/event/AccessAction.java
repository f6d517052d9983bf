package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What someone outside asked to do, as {@code access.decided} records it. */
public enum AccessAction implements WireName {
  PUBLISH("publish"),
  UNLOCK("unlock");

  private final String wire;

  AccessAction(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static AccessAction parse(String value) {
    return WireName.parse(AccessAction.class, "access action", value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
