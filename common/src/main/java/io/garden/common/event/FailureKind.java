package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a step failed, as {@code step.failed} says it: the step ran and found problems ({@code findings}), the input
 * can never work ({@code permanent}), retries ran out ({@code transient}), the component stopped ({@code fatal}),
 * or someone cancelled the pipeline while it ran ({@code cancelled}: not a failure of the work).
 */
public enum FailureKind implements WireName {
  FINDINGS("findings"),
  PERMANENT("permanent"),
  TRANSIENT("transient"),
  FATAL("fatal"),
  CANCELLED("cancelled"),
  /** A write to a protected stage found a plan other than the one approved: nothing written; it asks again. */
  PLAN_CHANGED("plan-changed");

  private final String wire;

  FailureKind(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static FailureKind parse(String value) {
    return WireName.parse(FailureKind.class, "failure kind", value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
