package io.garden.gateway.views;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.LowWatermark;
import io.garden.gateway.coordinator.PipelineRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * What the API answers about pipelines. In memory: the open ones, the last finished ones (a bounded window,
 * {@code GARDEN_RECENT_PIPELINES}), and the ones this gateway accepted that the coordinator has not started yet
 * (queued); every other one is looked up by id in the {@link PipelineArchive}, where each is written when it
 * finishes. So the views restart from a restore point (the first event of the oldest pipeline still open, in the
 * recent window or not archived yet, see {@link #checkpoint()}) and hold what is open, not the stream's history.
 * Also remembers where each pipeline in memory begins on the stream, so an event stream for one pipeline can start
 * there, and answers for a pipeline another gateway accepted a moment ago once it has read the stream that far.
 * Over 300 lines because every one of those answers reads the same few maps on the reader's context, which keeps it
 * free of locks; what does not touch them (the JSON, the archive, the waiters) lives in classes of its own.
 */
public final class PipelineViews {

  /** A pipeline accepted here and not yet seen on the audit stream. */
  public record Queued(String id, PipelineRequested request, String actor, Instant at) {
  }

  /** Archives waiting to be written beyond which the views stop reading the stream until they catch up. */
  private static final int PAUSE_AT = 1_000;
  private static final int MAX_QUEUED = 10_000;

  private final Vertx vertx;
  private final PipelineArchive archive;
  private final Map<String, PipelineRun> open = new LinkedHashMap<>();
  /** Who asked for each open pipeline: a principal's share of what runs is counted from here. */
  private final SharesByActor openShares = new SharesByActor();
  private final SharesByActor queuedShares = new SharesByActor();
  private final Map<String, List<Envelope>> openEvents = new HashMap<>();
  private final Map<String, AuditStreamReader.Positioned> firstEvents = new HashMap<>();
  /** Finished pipelines kept in memory (lists, the page); older ones are one archive read away. */
  private final Map<String, PipelineRun> recent;
  /**
   * What still holds a finished pipeline's events on the restore point: being in the recent window, and not being
   * archived yet. It is let go when neither holds.
   */
  private final Map<String, Integer> holds = new HashMap<>();
  private final Map<String, Queued> queued = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Queued> eldest) {
      boolean full = size() > MAX_QUEUED;
      if (full) {
        queuedShares.remove(eldest.getKey());
      }
      return full;
    }
  };
  /**
   * The first event of pipelines not begun yet (who allowed it, its delivery): a stream following one pipeline starts
   * there. Bounded: ids that never begin (a refused request) are dropped oldest first.
   */
  private final Map<String, AuditStreamReader.Positioned> preludes = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, AuditStreamReader.Positioned> eldest) {
      return size() > MAX_QUEUED;
    }
  };
  private final LowWatermark watermark = new LowWatermark();
  private final OffsetWaiters folded = new OffsetWaiters();
  private final EventCodec codec = EventCodec.shared();
  private final ArchiveWriter writer;
  private AuditStreamReader reader;
  private boolean caughtUp;
  private boolean paused;

  /**
   * @param archive where finished pipelines go, or null to keep none (they are then forgotten past the window)
   * @param window  how many finished pipelines stay in memory
   */
  public PipelineViews(Vertx vertx, PipelineArchive archive, int window) {
    this.vertx = vertx;
    this.archive = archive;
    this.writer = archive == null ? null : new ArchiveWriter(vertx, archive, this::archived);
    this.recent = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PipelineRun> eldest) {
        boolean full = size() > window;
        if (full) {
          firstEvents.remove(eldest.getKey());
          release(eldest.getKey());
        }
        return full;
      }
    };
  }

  /**
   * Starts reading the audit stream at its restore point (every partition it does not name from the beginning).
   *
   * @param listener told of each event after it is folded in, with whether it is live (not part of the replay)
   */
  public Future<Void> start(KafkaSettings settings, Map<Integer, Long> restorePoint,
                            BiConsumer<AuditStreamReader.Positioned, Boolean> listener) {
    return AuditStreamReader.open(vertx, settings, "gateway-views", AuditStreamReader.StartAt.at(restorePoint),
        event -> {
          fold(event);
          listener.accept(event, caughtUp);
          folded.reached(event.partition(), event.offset());
        })
        .compose(r -> {
          reader = r;
          return r.caughtUp();
        })
        .onSuccess(v -> caughtUp = true);
  }

  public Future<Void> stop() {
    folded.failAll("the gateway is stopping");
    if (writer != null) {
      writer.close();
    }
    return reader == null ? Future.succeededFuture() : reader.close();
  }

  private void fold(AuditStreamReader.Positioned event) {
    Envelope envelope = event.envelope();
    String id = envelope.pipelineId();
    if (id == null) {
      return;
    }
    EventPayload payload;
    try {
      payload = codec.payload(envelope);
    } catch (MalformedEventException e) {
      return;
    }
    PipelineRun run = open.get(id);
    if (run == null) {
      PipelineRun finished = recent.get(id);
      if (finished != null) {
        finished.apply(envelope, payload); // a late answer: shown, not archived again
        return;
      }
      if (!(payload instanceof PipelineRequested || payload instanceof PipelineStarted)) {
        // a pipeline that began before the restore point (archived), or what comes before one begins
        preludes.putIfAbsent(id, event);
        return;
      }
      run = begin(id, event);
    }
    run.apply(envelope, payload);
    openEvents.get(id).add(envelope);
    if (run.isFinished()) {
      finish(run);
    }
  }

  private PipelineRun begin(String id, AuditStreamReader.Positioned event) {
    PipelineRun run = new PipelineRun(id);
    AuditStreamReader.Positioned prelude = preludes.remove(id);
    AuditStreamReader.Positioned first = prelude != null && prelude.partition() == event.partition() ? prelude : event;
    open.put(id, run);
    openShares.add(id, event.envelope().actor());
    openEvents.put(id, new ArrayList<>());
    firstEvents.put(id, first);
    queued.remove(id);
    queuedShares.remove(id);
    watermark.opened(id, first.partition(), first.offset());
    return run;
  }

  private void finish(PipelineRun run) {
    String id = run.id();
    open.remove(id);
    openShares.remove(id);
    List<Envelope> events = openEvents.remove(id);
    boolean archiving = writer != null && PipelineArchive.archivable(id);
    holds.put(id, archiving ? 2 : 1);
    recent.put(id, run);
    if (!archiving) {
      return;
    }
    AuditStreamReader.Positioned first = firstEvents.get(id);
    writer.add(new PipelineArchive.Archived(id, first.partition(), first.offset(), events));
    if (writer.backlog() > PAUSE_AT && !paused) {
      paused = true;
      reader.pause();
    }
  }

  private void archived(String id) {
    release(id);
    if (paused && writer.backlog() < PAUSE_AT / 10) {
      paused = false;
      reader.resume();
    }
  }

  private void release(String id) {
    Integer left = holds.computeIfPresent(id, (k, n) -> n - 1);
    if (left != null && left <= 0) {
      holds.remove(id);
      watermark.closed(id);
    }
  }

  /**
   * Where the views can restart from now (empty when there is nothing to say yet): call every few seconds, write
   * what it returns as the restore point.
   */
  public Map<Integer, Long> checkpoint() {
    return reader == null || !caughtUp ? Map.of() : watermark.checkpoint(reader.positions());
  }

  /**
   * Completes once this view has folded in the event at {@code offset}, so that whoever was shown that event
   * (an event stream reads with its own consumer) finds the API already agreeing with it.
   */
  public Future<Void> seen(int partition, long offset) {
    return folded.await(partition, offset, positions().get(partition));
  }

  /**
   * Completes once this view has folded in every event on the audit stream now, or after {@code limit}, whichever
   * comes first: read-your-writes across gateways. A pipeline another gateway has just accepted is on the stream
   * before its 202 went out; asked here a moment later, this view may not have read it yet, and a 404 would be a
   * lie that a client gives up on.
   */
  public Future<Void> caughtUpToNow(java.time.Duration limit) {
    if (reader == null) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(limit.toMillis(), t -> done.tryComplete());
    reader.ends().compose(ends -> {
      List<Future<Void>> reads = new ArrayList<>();
      Map<Integer, Long> at = positions();
      ends.forEach((partition, end) -> {
        if (end > 0) {
          reads.add(folded.await(partition, end - 1, at.get(partition)));
        }
      });
      return Future.all(reads).<Void>mapEmpty();
    }).onComplete(result -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }

  /** How long a lookup of an id this view does not know waits for it to catch up with the stream. */
  static final java.time.Duration READ_YOUR_WRITES = java.time.Duration.ofSeconds(2);

  /**
   * {@link #find}, and, when this view does not know the id, again once it has read the stream up to now: a
   * pipeline accepted by another gateway a moment ago is found, not answered 404. Memory is looked at once more at
   * the end: the pipeline may have begun here while the archive was being asked.
   */
  public Future<Optional<PipelineRun>> findNow(String id) {
    return find(id).compose(found -> found.isPresent() || knows(id) ? Future.succeededFuture(found.or(() -> run(id)))
        : caughtUpToNow(READ_YOUR_WRITES).compose(v -> find(id)).map(again -> again.or(() -> run(id))));
  }

  /** {@link #streamStart}, with the same second look as {@link #findNow}. */
  public Future<Optional<Map<Integer, Long>>> streamStartNow(String id) {
    return streamStart(id).compose(first -> first.isPresent() ? Future.succeededFuture(first)
        : caughtUpToNow(READ_YOUR_WRITES).compose(v -> streamStart(id)));
  }

  public void accepted(Queued pipeline) {
    if (!open.containsKey(pipeline.id()) && !recent.containsKey(pipeline.id())) {
      queued.put(pipeline.id(), pipeline);
      queuedShares.add(pipeline.id(), pipeline.actor());
    }
  }

  /** The pipeline if it is in memory: open, or among the recent ones. */
  public Optional<PipelineRun> run(String id) {
    return Optional.ofNullable(open.get(id)).or(() -> Optional.ofNullable(recent.get(id)));
  }

  /** The pipeline from memory, else from the archive; empty when neither has it. */
  public Future<Optional<PipelineRun>> find(String id) {
    Optional<PipelineRun> inMemory = run(id);
    if (inMemory.isPresent() || archive == null || !PipelineArchive.archivable(id)) {
      return Future.succeededFuture(inMemory);
    }
    return vertx.executeBlocking(() -> archive.read(id).map(PipelineArchive.Archived::run), false);
  }

  public Optional<Queued> queued(String id) {
    return Optional.ofNullable(queued.get(id));
  }

  /** Whether the pipeline is in memory: open, recent, queued here, or accepted by another gateway. */
  public boolean knows(String id) {
    return open.containsKey(id) || recent.containsKey(id) || queued.containsKey(id) || acceptedElsewhere(id)
        .isPresent();
  }

  /**
   * A pipeline a gateway (this one or another) has allowed and queued, which no coordinator has begun yet: all the
   * stream says of it so far is its allowed {@code access.decided}. Empty for anything else, a refusal included.
   */
  public Optional<Envelope> acceptedElsewhere(String id) {
    AuditStreamReader.Positioned prelude = preludes.get(id);
    if (prelude == null || open.containsKey(id) || recent.containsKey(id)) {
      return Optional.empty();
    }
    try {
      return codec.payload(prelude.envelope()) instanceof io.garden.common.event.AccessDecided decided
          && decided.allowed() ? Optional.of(prelude.envelope()) : Optional.empty();
    } catch (MalformedEventException e) {
      return Optional.empty();
    }
  }

  /** Whether there is a pipeline with this id: in memory, queued here, or archived. */
  public Future<Boolean> exists(String id) {
    return knows(id) ? Future.succeededFuture(true) : find(id).map(Optional::isPresent);
  }

  /**
   * Where a stream of one pipeline's events starts: its first event (what came before its request included), or,
   * for a pipeline queued here with no event yet, where this view is now — nothing it has not seen lies before that;
   * for an archived one, its first event as the archive says. Empty when there is no such pipeline.
   */
  public Future<Optional<Map<Integer, Long>>> streamStart(String id) {
    if (knows(id)) {
      AuditStreamReader.Positioned first = Optional.ofNullable(firstEvents.get(id)).orElse(preludes.get(id));
      return Future.succeededFuture(Optional.of(first == null ? positions()
          : Map.of(first.partition(), first.offset())));
    }
    if (archive == null || !PipelineArchive.archivable(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx.executeBlocking(() -> archive.read(id).map(a -> Map.of(a.partition(), a.offset())), false);
  }

  /** The next offset this view will read in each partition: nothing it has not seen lies before it. */
  public Map<Integer, Long> positions() {
    return reader == null ? Map.of() : reader.positions();
  }

  /** Open and recent pipelines, the most recent first (by request or start time). */
  public List<PipelineRun> recent() {
    return Stream.concat(open.values().stream(), recent.values().stream())
        .filter(r -> r.started().isPresent() || r.finished().isPresent())
        .sorted(Comparator.comparing(PipelineViews::since).reversed())
        .toList();
  }

  /** How many pipelines {@code actor} has queued or running, as this view knows them. */
  public int openBy(String actor) {
    return openShares.count(actor) + queuedShares.count(actor);
  }

  public List<Queued> queued() {
    return List.copyOf(queued.values());
  }

  /** How many pipelines are in memory (open and recent): what the views cost, whatever the history. */
  public int size() {
    return open.size() + recent.size();
  }

  private static Instant since(PipelineRun run) {
    return run.requestedAt().or(() -> run.startedEvent().map(Envelope::time))
        .or(() -> run.finishedEvent().map(Envelope::time)).orElse(Instant.EPOCH);
  }
}
