package io.garden.gateway.notify;

import java.util.List;
import java.util.Map;

/**
 * What one event is worth telling people, before it is shaped for a sink.
 *
 * @param event    the id of the event announced: sinks get it as the delivery id, and it is what de-duplicates
 * @param type     the event's type ({@code pipeline.finished}, ...)
 * @param kind     the notice in one word ({@code pipeline-failed}, {@code published}, {@code publish-failed})
 * @param pipeline the pipeline it belongs to, or null
 * @param title    one line: what happened
 * @param details  further lines: why, where, by whom
 * @param facts    the same as data, for a machine reading the generic webhook
 */
public record Notice(String event, String type, String kind, String pipeline, String title, List<String> details,
                     Map<String, Object> facts) {

  public Notice {
    details = List.copyOf(details);
    facts = Map.copyOf(facts);
  }
}
