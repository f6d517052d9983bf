package io.garden.common.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of event types: wire name ↔ payload record. One place, so a type cannot be emitted under two names
 * and the golden-fixture test can check every registered type has a fixture.
 */
public final class EventTypes {

  private static final Map<String, Class<? extends EventPayload>> BY_NAME = new LinkedHashMap<>();
  private static final Map<Class<? extends EventPayload>, String> BY_CLASS = new LinkedHashMap<>();

  static {
    register("pipeline.requested", PipelineRequested.class);
    register("pipeline.started", PipelineStarted.class);
    register("pipeline.finished", PipelineFinished.class);
    register("step.skipped", StepSkipped.class);
    register("step.started", StepStarted.class);
    register("step.finished", StepFinished.class);
    register("step.failed", StepFailed.class);
    register("record.dead-lettered", RecordDeadLettered.class);
    register("validate.requested", ValidateRequested.class);
    register("validate.finished", ValidateFinished.class);
    register("sync.finished", SyncFinished.class);
    register("pipeline.cancel-requested", CancelRequested.class);
    register("build.requested", BuildRequested.class);
    register("build.started", BuildStarted.class);
    register("build.progress", BuildProgress.class);
    register("build.finished", BuildFinished.class);
    register("test.finished", TestFinished.class);
    register("push.finished", PushFinished.class);
    register("registry.requested", RegistryRequested.class);
    register("publish.requested", PublishRequested.class);
    register("registry.built", RegistryBuilt.class);
    register("registry.packaged", RegistryPackaged.class);
    register("publish.planned", PublishPlanned.class);
    register("publish.finished", PublishFinished.class);
    register("publish.failed", PublishFailed.class);
    register("publish.cas-conflict", PublishConflict.class);
    register("lock.acquired", LockAcquired.class);
    register("lock.waiting", LockWaiting.class);
    register("lock.taken-over", LockTakenOver.class);
    register("lock.released", LockReleased.class);
    register("lock.removed", LockRemoved.class);
    register("lock.kept", LockKept.class);
    register("delivery.accepted", DeliveryAccepted.class);
    register("access.decided", AccessDecided.class);
    register("notification.sent", NotificationSent.class);
    register("approval.requested", ApprovalRequested.class);
    register("approval.decided", ApprovalDecided.class);
  }

  private EventTypes() {
  }

  private static void register(String name, Class<? extends EventPayload> type) {
    Class<? extends EventPayload> previous = BY_NAME.get(name);
    if (previous != null && previous != type) {
      throw new IllegalStateException("event type '" + name + "' is already bound to " + previous.getName());
    }
    BY_NAME.put(name, type);
    BY_CLASS.put(type, name);
  }

  public static synchronized Optional<Class<? extends EventPayload>> payloadClass(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  public static synchronized String nameOf(Class<? extends EventPayload> type) {
    String name = BY_CLASS.get(type);
    if (name == null) {
      throw new IllegalArgumentException(type.getName() + " is not a registered event payload");
    }
    return name;
  }

  /** True when the envelope declares the type registered for {@code payload}. */
  public static boolean is(Envelope envelope, Class<? extends EventPayload> payload) {
    return nameOf(payload).equals(envelope.type());
  }

  public static synchronized Map<String, Class<? extends EventPayload>> all() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(BY_NAME));
  }
}
