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
    register("step.started", StepStarted.class);
    register("step.finished", StepFinished.class);
    register("step.failed", StepFailed.class);
    register("record.dead-lettered", RecordDeadLettered.class);
    register("validate.requested", ValidateRequested.class);
    register("validate.finished", ValidateFinished.class);
    register("sync.finished", SyncFinished.class);
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

  public static synchronized Map<String, Class<? extends EventPayload>> all() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(BY_NAME));
  }
}
