package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request on the single-partition {@code garden.registry.publish}: {@code action} is {@code publish},
 * {@code force} (with {@code extension}, dev only), {@code direct}, {@code unpublish} (with {@code name}),
 * {@code restore} (optionally {@code backup}), {@code remove-lock}, {@code force-remove-lock} (a live lease) or
 * {@code promote} (with {@code name}, {@code from} and optionally {@code version}; {@code stage} is where to).
 * {@code emergency}: a {@code force} on stage or prod, confirmed and allowed by the gateway's policy (refused
 * without it). {@code dryRun}: plan and report, change nothing in the store or the image registry (no lock, no
 * index, no backup, no lock removal, no tag) — the gateway authorises a dry run as a dry run only because every
 * action here honours it. {@code approvedPlan}: the digest of the decision table people approved for a protected
 * stage ({@link io.garden.common.release.PlanDigest}); a plan made under the lock that differs writes nothing.
 */
public record PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                               String name, String backup, Long lockWaitSeconds,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Boolean emergency,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String from,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String version,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String approvedPlan)
    implements EventPayload {

  public PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                          String name, String backup, Long lockWaitSeconds, Boolean emergency, Boolean dryRun,
                          String from, String version) {
    this(source, stage, format, action, extension, name, backup, lockWaitSeconds, emergency, dryRun, from, version,
        null);
  }

  public PublishRequested {
    stage = stage == null ? "dev" : stage;
    format = format == null ? "v2" : format;
    action = action == null ? PublishAction.PUBLISH : action;
    emergency = Boolean.TRUE.equals(emergency) ? Boolean.TRUE : null; // absent in older events: not an emergency
    dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null; // absent: a real run, as before the field existed
  }

  public PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                          String name, String backup, Long lockWaitSeconds, Boolean emergency, Boolean dryRun) {
    this(source, stage, format, action, extension, name, backup, lockWaitSeconds, emergency, dryRun, null, null);
  }

  public PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                          String name, String backup, Long lockWaitSeconds, Boolean emergency) {
    this(source, stage, format, action, extension, name, backup, lockWaitSeconds, emergency, null);
  }

  public PublishRequested(SourceRef source, String stage, String format, PublishAction action, String extension,
                          String name, String backup, Long lockWaitSeconds) {
    this(source, stage, format, action, extension, name, backup, lockWaitSeconds, null);
  }

  /** The same request as a dry run: it plans and says so, and writes nothing. */
  public PublishRequested asDryRun() {
    return new PublishRequested(source, stage, format, action, extension, name, backup, lockWaitSeconds, emergency,
        true, from, version, null);
  }

  /** The same request, held to the plan people approved ({@code approvedPlan}). */
  public PublishRequested holdingTo(String plan) {
    return new PublishRequested(source, stage, format, action, extension, name, backup, lockWaitSeconds, emergency,
        dryRun, from, version, plan);
  }

  /** A confirmed {@code force} on stage or prod. */
  public boolean confirmedEmergency() {
    return Boolean.TRUE.equals(emergency);
  }

  /** Whether this only plans: the worker writes nothing to the stage's store. */
  public boolean onlyPlans() {
    return Boolean.TRUE.equals(dryRun);
  }
}
