package io.garden.registry.publish;

import io.garden.common.tracing.Tracing;

import io.garden.common.registry.PublishedIndex;
import io.garden.common.registry.RemoteLayout;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishConflict;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.model.AtomicFiles;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.PreconditionFailedException;
import io.garden.common.store.StoredObject;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.IndexEntry;
import io.garden.registry.RegistryJson;
import io.garden.registry.merge.Action;
import io.garden.registry.merge.Decision;
import io.garden.registry.merge.MergePlan;
import io.garden.registry.merge.Planner;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a registry index to a stage's store so that no entry can be lost (SPEC §7, DESIGN "Publish safety"):
 * lock → back up → read with ETag → plan → write with If-Match (on conflict: re-read, re-plan, retry, bounded) →
 * verify by reading back → release. A failure after a write restores the backup; if even that fails the lock stays,
 * with the reason in it. One FAIL decision fails the whole publish before anything is written.
 */
public final class RegistryPublisher {

  public static final List<String> FILES = List.of(BuiltRegistry.APPS, BuiltRegistry.TOOLS);
  private static final int MAX_ATTEMPTS = 8;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private final ObjectStore store;
  private final Clock clock;
  private final PublishListener listener;
  private final Faults faults;
  private final int backupKeep;
  private final LockManager locks;
  private boolean storeVerified;

  public RegistryPublisher(ObjectStore store, Clock clock, Sleeper sleeper, PublishListener listener, Faults faults) {
    this(store, clock, sleeper, listener, faults, Backups.DEFAULT_KEEP);
  }

  /** @param backupKeep how many backups of the stage to keep ({@code GARDEN_BACKUP_KEEP}) */
  public RegistryPublisher(ObjectStore store, Clock clock, Sleeper sleeper, PublishListener listener, Faults faults,
                           int backupKeep) {
    this.backupKeep = backupKeep;
    this.store = store;
    this.clock = clock;
    this.listener = listener;
    this.faults = faults;
    this.locks = new LockManager(store, clock, sleeper, listener);
  }

  public LockManager locks() {
    return locks;
  }

  /** Runs {@code planner} against the remote index under the lock (or, for a dry run, without writing). */
  public PublishOutcome publish(PublishRequest request, Planner planner) {
    if (!storeVerified) {
      StoreSelfTest.verify(store);
      storeVerified = true;
    }
    RemoteLayout layout = request.layout();
    if (request.dryRun()) {
      Map<String, MergePlan> plans = new LinkedHashMap<>();
      // Against the index as one whole publish left it, as the real publish would see it once it has the lock.
      PublishedIndex.read(store, layout, FILES).forEach((file, object) -> plans.put(file,
          planner.plan(file, entries(object, layout.index(file)))));
      emitPlanned(request, plans, true);
      return new PublishOutcome(plans, false, null);
    }
    // Waiting for the lock is its own span: "why did my publish take two minutes" is answered there.
    io.opentelemetry.api.trace.Span waiting = Tracing.tracer().spanBuilder("publish lock wait " + request.stage().id())
        .startSpan();
    LockManager.Held acquired;
    try {
      acquired = locks.acquire(layout.lock(), request.owner(), request.lease(), request.lockWait(),
          request.removeLockCommand());
      waiting.end();
    } catch (RuntimeException e) {
      Tracing.fail(waiting, e);
      throw e;
    }
    Lease lease = locks.keepAlive(acquired, request.lease());
    Map<String, Optional<StoredObject>> before = new LinkedHashMap<>();
    Map<String, String> writtenEtags = new LinkedHashMap<>();
    Map<String, byte[]> writtenBytes = new LinkedHashMap<>();
    String backup = null;
    try {
      faults.at("after-lock");
      for (String file : FILES) {
        before.put(file, store.get(layout.index(file)));
      }
      faults.at("after-read");
      Optional<Map.Entry<String, Backups.Taker>> earlier = new Backups(store, layout).newestTaken();
      if (earlier.isPresent() && !earlier.get().getValue().finished()
          && !earlier.get().getValue().sameRequest(request.owner())) {
        Backups.Taker other = earlier.get().getValue();
        if (acquired.takenOverFrom() != null && other.heldBy(acquired.takenOverFrom())) {
          // Another pipeline's publish died holding the lock, maybe half way: put its backup back first, so the
          // index is whole again and this publish decides against what the audit last said was there.
          rollBack(request, earlier.get().getKey(), other, before);
          for (String file : FILES) {
            before.put(file, store.get(layout.index(file)));
          }
        } else {
          // It released the lock, so it wrote and verified all of it; only its mark is not written yet (it is
          // marked once its events are out, or it died just after). Its index is whole: undoing it would lose a
          // publish that said "written". Marked finished, so that readers read the index again.
          new Backups(store, layout).mark(earlier.get().getKey(), other.asFinished());
        }
      }
      if (earlier.isPresent() && earlier.get().getValue().sameRequest(request.owner())) {
        // This request's own earlier attempt took the newest backup: finish that publish, decided against what was
        // there before it, so the audit says what the publish changed, not what was left to do.
        String stamp = earlier.get().getKey();
        Map<String, MergePlan> applied = againstBackup(planner, new Backups(store, layout).read(stamp, FILES));
        if (earlier.get().getValue().finished()) {
          // Done, and said: a redelivery after the events went out says nothing twice.
          lease.close();
          locks.release(lease.held());
          return new PublishOutcome(applied, true, stamp);
        }
        emitPlanned(request, applied, false);
        for (String file : FILES) {
          lease.check();
          applied.put(file, write(request, planner, file, before.get(file), applied.get(file), writtenEtags,
              writtenBytes));
        }
        verify(layout, writtenBytes);
        return complete(request, lease, new PublishOutcome(applied, true, stamp));
      }
      Map<String, MergePlan> plans = new LinkedHashMap<>();
      for (String file : FILES) {
        plans.put(file, planner.plan(file, current(request, planner, before.get(file), layout.index(file))));
      }
      emitPlanned(request, plans, false);
      refuseOnFailure(plans);
      requireImages(layout, plans);
      // A backup only when something will be written, and only of what parses.
      if (changes(before, plans)) {
        lease.check();
        backup = backUp(request, before);
      }
      for (String file : FILES) {
        lease.check(); // a publisher that lost its lock stops before its next write
        MergePlan written = write(request, planner, file, before.get(file), plans.get(file), writtenEtags,
            writtenBytes);
        plans.put(file, written);
        faults.at("after-write:" + file);
      }
      faults.at("before-verify");
      verify(layout, writtenBytes);
      requireImages(layout, plans); // and what it points at is still there
      if (backup != null) {
        prune(layout);
      }
      return complete(request, lease, new PublishOutcome(plans, !writtenEtags.isEmpty(), backup));
    } catch (RuntimeException failure) {
      lease.close();
      throw fail(request, lease.held(), before, writtenEtags, failure);
    }
  }

  /**
   * The preview images the backed-up index refers to, beside it in the local backup: the old toolchain's restore
   * syncs that folder onto the live one with {@code --delete}, which would otherwise delete every preview image. An
   * unreadable index keeps none (it is restored as it was); a preview missing from the store is left out.
   */
  private void keepPreviews(PublishRequest request, Path folder, byte[] index, String key) {
    List<IndexEntry> entries;
    try {
      entries = RegistryJson.parse(index, key);
    } catch (RuntimeException unreadable) {
      return;
    }
    RemoteLayout layout = request.layout();
    entries.stream().flatMap(entry -> entry.previewFile(request.format()).stream()).distinct()
        .forEach(image -> store.get(layout.file(image))
            .ifPresent(object -> AtomicFiles.write(folder.resolve(image), object.body())));
  }

  private static String layoutKey(PublishRequest request, String file) {
    return request.layout().index(file);
  }

  private void finished(PublishRequest request, RemoteLayout layout, PublishOutcome outcome) {
    listener.on(new PublishFinished(request.stage().id(), store.describe(), outcome.count(Action.INSERT),
        outcome.count(Action.REPLACE) + outcome.count(Action.FORCE), outcome.count(Action.REMOVE),
        outcome.count(Action.UNCHANGED), outcome.written(),
        outcome.backup() == null ? null : layout.backups() + outcome.backup()));
  }

  /**
   * Marks the publish finished and says so, then lets the lock go: in that order, so that a publish found unmarked
   * by the next holder either died holding the lock (taken over: undone, and said) or marks itself once Kafka has
   * its events (a worker), never a whole and reported publish undone.
   */
  private PublishOutcome complete(PublishRequest request, Lease lease, PublishOutcome outcome) {
    faults.at("before-report");
    markFinished(request, outcome.backup());
    finished(request, request.layout(), outcome);
    faults.at("before-release");
    lease.close();
    locks.release(lease.held());
    return outcome;
  }

  /**
   * Best effort: a mark that fails to be written only lets a later redo of this pipeline report again. A worker
   * marks it itself once Kafka has the events ({@link PublishRequest#marksWhenReported()}): marked here, a death
   * before they went out would leave the publish said by nobody.
   */
  private void markFinished(PublishRequest request, String backup) {
    if (backup == null || request.marksWhenReported()) {
      return;
    }
    try {
      new Backups(store, request.layout()).mark(backup, request.owner(), true);
    } catch (RuntimeException e) {
      // The publish itself is done and reported.
    }
  }

  /** The plans of a pipeline's earlier attempt: against the index as its backup holds it. */
  private static Map<String, MergePlan> againstBackup(Planner planner, Map<String, List<IndexEntry>> backup) {
    Map<String, MergePlan> plans = new LinkedHashMap<>();
    for (String file : FILES) {
      plans.put(file, planner.plan(file, backup.get(file)));
    }
    return plans;
  }

  /**
   * Puts back the index a dead publish backed up before it wrote, where it differs now, and says so: the audit then
   * shows the half-done publish undone, not the next publish's decisions against half of it.
   */
  private void rollBack(PublishRequest request, String stamp, Backups.Taker dead,
                        Map<String, Optional<StoredObject>> now) {
    RemoteLayout layout = request.layout();
    int undone = 0;
    for (String file : FILES) {
      Optional<StoredObject> saved = store.get(layout.backup(stamp, file));
      Optional<StoredObject> current = now.get(file);
      if (saved.isPresent() && (current.isEmpty() || !Arrays.equals(current.get().body(), saved.get().body()))) {
        if (current.isPresent()) {
          store.putIfMatch(layout.index(file), saved.get().body(), current.get().etag());
        } else {
          store.putIfAbsent(layout.index(file), saved.get().body());
        }
        undone++;
      } else if (saved.isEmpty() && current.isPresent()) {
        store.deleteIfMatch(layout.index(file), current.get().etag());
        undone++;
      }
    }
    new Backups(store, layout).mark(stamp, dead.asFinished());
    if (undone > 0) {
      listener.on(new PublishFailed(request.stage().id(), store.describe(), "the publish of pipeline "
          + dead.pipeline() + " stopped after writing " + undone + " index file(s); they were put back as backup "
          + stamp + " held them, before this publish", true, true, false));
    }
  }

  private MergePlan write(PublishRequest request, Planner planner, String file, Optional<StoredObject> current,
                          MergePlan plan, Map<String, String> writtenEtags, Map<String, byte[]> writtenBytes) {
    String key = request.layout().index(file);
    for (int attempt = 1; ; attempt++) {
      byte[] bytes = RegistryJson.bytes(plan.merged());
      if (current.isPresent() && Arrays.equals(current.get().body(), bytes)) {
        return plan; // Nothing to change in this file (an idempotent republish).
      }
      try {
        String etag = current.isPresent() ? store.putIfMatch(key, bytes, current.get().etag())
            : store.putIfAbsent(key, bytes);
        writtenEtags.put(file, etag);
        writtenBytes.put(file, bytes);
        return plan;
      } catch (PreconditionFailedException conflict) {
        // Someone wrote since we read (a zombie publisher, or an operator): decide again against what is there.
        listener.on(new PublishConflict(request.stage().id(), key, attempt));
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException("gave up after " + attempt + " conflicting writes of " + key);
        }
        current = store.get(key);
        plan = planner.plan(file, entries(current, key));
        emitPlanned(request, Map.of(file, plan), false);
        refuseOnFailure(Map.of(file, plan));
      }
    }
  }

  private void verify(RemoteLayout layout, Map<String, byte[]> writtenBytes) {
    for (Map.Entry<String, byte[]> written : writtenBytes.entrySet()) {
      String file = written.getKey();
      Optional<StoredObject> back = store.get(layout.index(file));
      if (back.isEmpty() || !Arrays.equals(back.get().body(), written.getValue())) {
        throw new IllegalStateException("verification failed: " + layout.index(file)
            + " does not hold what was written");
      }
    }
  }

  /**
   * The index never points at a missing file: every preview image the merged entries refer to is in the store
   * (uploaded by this publish before it took the lock, or by an earlier one).
   */
  private void requireImages(RemoteLayout layout, Map<String, MergePlan> plans) {
    java.util.Set<String> present = new java.util.HashSet<>(store.list(layout.file(layout.format().image(""))));
    List<String> missing = plans.values().stream().flatMap(p -> p.merged().stream())
        .flatMap(e -> e.previewFile(layout.format()).stream()).map(layout::file).filter(k -> !present.contains(k))
        .distinct().toList();
    if (!missing.isEmpty()) {
      throw new PublishRefusedException("Publish refused, nothing written: the index would refer to "
          + missing.size() + " image(s) missing from " + store.describe() + " (" + String.join(", ",
          missing.stream().limit(3).toList()) + "); publish the extensions that ship them again");
    }
  }

  /** Old backups go under the lock, so two publishers never prune at once; pruning is never worth a failure. */
  private void prune(RemoteLayout layout) {
    try {
      new Backups(store, layout).prune(backupKeep, FILES);
    } catch (RuntimeException e) {
      // Left for the next publish to prune: the publish itself succeeded.
    }
  }

  /** True when writing the plans changes at least one index file. */
  private static boolean changes(Map<String, Optional<StoredObject>> before, Map<String, MergePlan> plans) {
    return plans.entrySet().stream().anyMatch(e -> before.get(e.getKey())
        .map(o -> !Arrays.equals(o.body(), RegistryJson.bytes(e.getValue().merged()))).orElse(true));
  }

  /**
   * The current entries of one index file. A corrupt file stops a publish that decides against it, naming the object
   * and the way out; a replacement (direct publish, restore) goes ahead without it.
   */
  private List<IndexEntry> current(PublishRequest request, Planner planner, Optional<StoredObject> object,
                                   String key) {
    try {
      return entries(object, key);
    } catch (IllegalStateException corrupt) {
      if (!planner.needsCurrent()) {
        return List.of();
      }
      throw new IllegalStateException("the published index " + key + " in " + store.describe() + " is corrupt ("
          + corrupt.getMessage() + "); put the newest good backup back with: garden restore-registry --stage "
          + request.stage().id(), corrupt);
    }
  }

  private String backUp(PublishRequest request, Map<String, Optional<StoredObject>> before) {
    String stamp = STAMP.format(clock.instant());
    Backups backups = new Backups(store, request.layout());
    backups.take(stamp, before);
    // Before the first index write: readers serve this backup while the mark says the publish is not finished.
    backups.mark(stamp, request.owner(), false);
    for (Map.Entry<String, Optional<StoredObject>> e : before.entrySet()) {
      if (e.getValue().isPresent()) {
        byte[] body = e.getValue().get().body();
        if (request.localBackups() != null) {
          // The old toolchain's layout: the index files right in the stamp's folder, so its documented restore
          // (aws s3 sync build/registry-backups/dev/TS/ s3://BUCKET/garden/v2/ --delete) still works.
          Path folder = request.localBackups().resolve(request.stage().id()).resolve(stamp);
          AtomicFiles.write(folder.resolve(e.getKey()), body);
          keepPreviews(request, folder, body, layoutKey(request, e.getKey()));
        }
      }
    }
    return stamp;
  }

  private RuntimeException fail(PublishRequest request, LockManager.Held lock, Map<String, Optional<StoredObject>> before,
                                Map<String, String> writtenEtags, RuntimeException failure) {
    String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    boolean wrote = !writtenEtags.isEmpty();
    boolean restored = false;
    boolean lockKept = false;
    if (wrote) {
      try {
        restore(request.layout(), before, writtenEtags);
        restored = true;
      } catch (RuntimeException restoreFailure) {
        lockKept = true;
        locks.keep(lock, "publish failed (" + reason + ") and restoring the backup failed too ("
            + restoreFailure.getMessage() + "); check the index, then run: garden restore-registry --stage "
            + request.stage().id() + ", then " + request.removeLockCommand());
      }
    }
    if (!lockKept) {
      try {
        locks.release(lock);
      } catch (RuntimeException releaseFailure) {
        reason = reason + " (and releasing the lock failed: " + releaseFailure.getMessage() + ")";
      }
    }
    listener.on(new PublishFailed(request.stage().id(), store.describe(), reason, wrote, restored, lockKept));
    return failure;
  }

  /** Puts back what was there, but only where the index still holds what we wrote (never clobber a later write). */
  private void restore(RemoteLayout layout, Map<String, Optional<StoredObject>> before,
                       Map<String, String> writtenEtags) {
    for (Map.Entry<String, String> written : writtenEtags.entrySet()) {
      String key = layout.index(written.getKey());
      Optional<StoredObject> original = before.get(written.getKey());
      if (original.isPresent()) {
        store.putIfMatch(key, original.get().body(), written.getValue());
      } else {
        store.deleteIfMatch(key, written.getValue());
      }
    }
  }

  private static void refuseOnFailure(Map<String, MergePlan> plans) {
    List<String> failures = new ArrayList<>();
    plans.values().forEach(p -> p.failures().forEach(d -> failures.add(d.name() + " " + d.version() + ": "
        + d.message())));
    if (!failures.isEmpty()) {
      throw new PublishRefusedException("Publish refused, nothing written: " + String.join("; ", failures));
    }
  }

  private void emitPlanned(PublishRequest request, Map<String, MergePlan> plans, boolean dryRun) {
    List<PlannedDecision> rows = new ArrayList<>();
    plans.forEach((file, plan) -> plan.decisions().forEach(d -> rows.add(row(file, d, plan.merged()))));
    listener.on(new PublishPlanned(request.stage().id(), store.describe(), dryRun,
        plans.values().stream().anyMatch(MergePlan::failed), rows));
  }

  /** A row, with the images the entry it publishes names pinned (none for an entry leaving the index). */
  private static PlannedDecision row(String file, Decision d, List<IndexEntry> merged) {
    List<String> images = merged.stream().filter(e -> e.name().equals(d.name()) && java.util.Objects.equals(
        e.version(), d.version())).findFirst().map(IndexEntry::pinnedImages).orElse(List.of());
    return new PlannedDecision(file, d.name(), d.version(), d.range(), d.action().name(), d.replaces(), d.message(),
        images);
  }

  private static List<IndexEntry> entries(Optional<StoredObject> object, String key) {
    return object.map(o -> RegistryJson.parse(o.body(), key)).orElse(List.of());
  }
}
