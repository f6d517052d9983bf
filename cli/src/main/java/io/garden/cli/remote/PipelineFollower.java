package io.garden.cli.remote;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.EventTypes;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineFinished;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows one pipeline through the gateway to its end: progress lines as events arrive, reports (what local mode
 * prints) from the result events, the artifacts downloaded, and the exit code the local command would give.
 */
public final class PipelineFollower {

  /** How a followed pipeline ended. */
  public record Outcome(PipelineFinished finished, List<Path> artifacts) {

    public boolean succeeded() {
      return finished.state() == PipelineFinished.State.SUCCEEDED;
    }
  }

  private final GatewayClient client;
  private final ProgressDisplay progress;
  private final Consumer<EventPayload> reports;

  /**
   * @param progress where progress lines go (stdout for ci-pipeline; stderr for a command whose stdout must read
   *                 as in local mode)
   * @param reports  prints the result events a command reports (validate.finished, sync.finished, ...)
   */
  public PipelineFollower(GatewayClient client, ProgressDisplay progress, Consumer<EventPayload> reports) {
    this.client = client;
    this.progress = progress;
    this.reports = reports;
  }

  /** Follows {@code id} to its pipeline.finished; artifacts go into {@code dist} when it succeeded. */
  public Outcome follow(String id, Path dist) {
    List<PipelineFinished> end = new ArrayList<>();
    client.follow("pipeline=" + id, event -> {
      EventPayload payload = payload(event);
      EventLines.of(event).ifPresent(line ->
          progress.line(line.startsWith(id + " ") ? line.substring(id.length() + 1) : line));
      if (payload != null) {
        progress.event(payload);
        reports.accept(payload);
      }
      if (payload instanceof PipelineFinished finished) {
        end.add(finished);
        return true;
      }
      return false;
    });
    PipelineFinished finished = end.get(0);
    List<Path> artifacts = new ArrayList<>();
    if (finished.state() == PipelineFinished.State.SUCCEEDED && dist != null) {
      // From the event itself: the gateway's view of the pipeline may still be a few events behind.
      finished.artifacts().forEach(a -> artifacts.add(client.download(id, a.name(), dist)));
    }
    return new Outcome(finished, artifacts);
  }

  private static EventPayload payload(Envelope event) {
    if (!EventTypes.payloadClass(event.type()).isPresent()) {
      return null;
    }
    try {
      return EventCodec.shared().payload(event);
    } catch (MalformedEventException e) {
      return null;
    }
  }
}
