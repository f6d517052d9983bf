package io.garden.common.event;

/**
 * A request on the single-partition {@code garden.registry.publish}: {@code action} is {@code publish},
 * {@code force} (with {@code extension}, dev only), {@code direct}, {@code unpublish} (with {@code name}),
 * {@code restore} (optionally {@code backup}) or {@code remove-lock}. {@code emergency}: a {@code force} on stage or
 * prod, confirmed and allowed by the gateway's policy (refused without it).
 */
public record PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                               String name, String backup, Long lockWaitSeconds,
                               @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                               Boolean emergency) implements EventPayload {

  public PublishRequested {
    stage = stage == null ? "dev" : stage;
    format = format == null ? "v2" : format;
    action = action == null ? PublishAction.PUBLISH : action;
    emergency = Boolean.TRUE.equals(emergency) ? Boolean.TRUE : null; // absent in older events: not an emergency
  }

  public PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                          String name, String backup, Long lockWaitSeconds) {
    this(source, stage, format, action, extension, name, backup, lockWaitSeconds, null);
  }

  /** A confirmed {@code force} on stage or prod. */
  public boolean confirmedEmergency() {
    return Boolean.TRUE.equals(emergency);
  }
}
