package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a principal asked to do, as {@code access.decided} records it: one action per role that allows it. */
public enum AccessAction implements WireName {
  /** Look at pipelines, events, registries and locks. */
  READ("read"),
  /** Start a pipeline that publishes nothing (build, test, validate, registry builds, dry runs of a publish). */
  RUN("run"),
  /**
   * Stop a running pipeline: one that changes no stage with {@code run}; one that changes a stage (publishes,
   * unpublishes, restores, unlocks) with that stage's publish role or admin.
   */
  CANCEL("cancel"),
  PUBLISH("publish"),
  UNPUBLISH("unpublish"),
  RESTORE("restore"),
  UNLOCK("unlock"),
  /** Remove a publish lock whose lease is still live (its holder may still be publishing). */
  FORCE_UNLOCK("force-unlock"),
  /** Publish on stage or prod an entry an earlier stage holds, on the same image digests. */
  PROMOTE("promote"),
  /** An emergency {@code --force} on stage or prod: replaces an extension's published entries without a bump. */
  FORCE("force"),
  /** Approve or reject a write to a protected stage that someone else asked for. */
  APPROVE("approve"),
  /** Anything else: manage credentials, see everything. */
  ADMIN("admin");

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
