package io.garden.gateway.views;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.PreconditionFailedException;
import io.garden.gateway.coordinator.PipelineRun;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finished pipelines, kept in the artifact store as {@code pipelines/{id}.json}: every event of the pipeline and
 * where the first one is on the audit stream. The API keeps only open and recent pipelines in memory and looks any
 * other one up here by id, like a workflow archive: memory and start-up follow what is open, and a pipeline of last
 * year is still one read away. Blocking: call from a worker thread.
 */
public final class PipelineArchive {

  /** What one archived pipeline holds. */
  public record Archived(String id, int partition, long offset, List<Envelope> events) {

    public Archived {
      events = List.copyOf(events);
    }

    /** The pipeline folded from its events. */
    public PipelineRun run() {
      PipelineRun run = new PipelineRun(id);
      EventCodec codec = EventCodec.shared();
      for (Envelope event : events) {
        EventPayload payload;
        try {
          payload = codec.payload(event);
        } catch (MalformedEventException unreadable) {
          continue; // the fold skips what it cannot read, as it did on the stream
        }
        run.apply(event, payload);
      }
      return run;
    }
  }

  static final String PREFIX = "pipelines/";
  /** Ids that make a safe key; any other id was never archived (a pipeline id is ours or checked on the way in). */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,159}");

  private final java.util.function.Supplier<ObjectStore> opener;
  private final EventCodec codec = EventCodec.shared();
  private ObjectStore store;

  /** @param opener opens the store, on the first use (a worker thread: opening an S3 store is blocking too) */
  public PipelineArchive(java.util.function.Supplier<ObjectStore> opener) {
    this.opener = opener;
  }

  private synchronized ObjectStore store() {
    if (store == null) {
      store = opener.get();
    }
    return store;
  }

  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  public static boolean archivable(String id) {
    return id != null && ID.matcher(id).matches() && !id.contains("..");
  }

  /** Stores the pipeline once; one archived already (by another gateway, or before a restart) is left as it is. */
  public void write(Archived pipeline) {
    try {
      store().putIfAbsent(key(pipeline.id()), codec.mapper().writeValueAsBytes(pipeline));
    } catch (PreconditionFailedException archivedAlready) {
      // the same events, folded by another reader of the same stream
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the archive of pipeline " + pipeline.id(), e);
    }
  }

  public Optional<Archived> read(String id) {
    if (!archivable(id)) {
      return Optional.empty();
    }
    ObjectStore store = store();
    return store.get(key(id)).map(object -> {
      try {
        return codec.mapper().readValue(object.body(), Archived.class);
      } catch (IOException e) {
        throw new IllegalStateException("the archive of pipeline " + id + " in " + store.describe()
            + " is unreadable (" + e.getClass().getSimpleName() + "); its events are still on the audit stream", e);
      }
    });
  }

  public String describe() {
    return store().describe();
  }

  private static String key(String id) {
    return PREFIX + id + ".json";
  }
}
