package io.garden.registry.publish;

import io.garden.common.event.EventPayload;

/** Receives the events of a publish as they happen: the CLI prints them, the worker puts them on Kafka. */
@FunctionalInterface
public interface PublishListener {

  void on(EventPayload event);

  PublishListener NONE = event -> { };
}
