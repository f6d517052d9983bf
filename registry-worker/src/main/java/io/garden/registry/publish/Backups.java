package io.garden.registry.publish;

import io.garden.common.registry.PublishedIndex;
import io.garden.common.registry.RemoteLayout;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.StoredObject;
import io.garden.registry.IndexEntry;
import io.garden.registry.RegistryJson;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's backups of its index, the one place they are taken, chosen and pruned. A backup is taken only of an
 * index that parses (a corrupt index saved as the newest backup would make a plain restore restore the corruption),
 * restore picks the newest backup that parses, and only the newest {@code keep} are kept.
 */
public final class Backups {

  /** {@code GARDEN_BACKUP_KEEP}'s default: backups kept per stage. */
  public static final int DEFAULT_KEEP = 50;

  private final ObjectStore store;
  private final RemoteLayout layout;

  public Backups(ObjectStore store, RemoteLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** The stamps of this layout's backups, oldest first. */
  public List<String> stamps() {
    return PublishedIndex.stamps(store, layout);
  }

  /**
   * Saves every index file that exists and parses under {@code stamp}.
   *
   * @return the files left out because they did not parse (named in the publish's events)
   */
  public List<String> take(String stamp, Map<String, Optional<StoredObject>> current) {
    List<String> skipped = new ArrayList<>();
    current.forEach((file, object) -> object.ifPresent(o -> {
      if (parses(o.body(), layout.index(file))) {
        store.put(layout.backup(stamp, file), o.body());
      } else {
        skipped.add(layout.index(file));
      }
    }));
    return skipped;
  }

  /** Beside a backup's files: which pipeline took it and whether its publish finished, for a redo of it. */
  static final String MARKER = PublishedIndex.MARKER;

  /**
   * Which pipeline's publish took a backup, and whether that publish got to its end: its index written and its
   * events reported (a worker marks it once Kafka has them), so a redelivered request neither writes nor reports
   * twice.
   */
  public record Taker(String pipeline, String request, boolean finished) {

    /**
     * Whether this is the publish {@code owner} asks for again: the same request of the same pipeline (a request
     * sent again has the same id). Outside a pipeline there is no "again".
     */
    public boolean sameRequest(LockOwner owner) {
      return request != null && pipeline.equals(owner.pipeline()) && request.equals(owner.request());
    }

    /** The same publish, said finished. */
    public Taker asFinished() {
      return new Taker(pipeline, request, true);
    }

    /** Whether the publish that took this backup is the one that held {@code lock}. */
    public boolean heldBy(PublishLock lock) {
      return pipeline.equals(lock.pipeline() != null ? lock.pipeline()
          : anonymous(lock.owner(), lock.host(), lock.pid()));
    }

    /** How a publish outside a pipeline is named in its backup's mark. */
    static String anonymous(String owner, String host, long pid) {
      return "(none: " + owner + " on " + host + ", pid " + pid + ")";
    }
  }

  /**
   * Records that {@code owner}'s publish (its pipeline, and which request of it) took the backup {@code stamp};
   * {@code finished}: and completed.
   */
  public void mark(String stamp, LockOwner owner, boolean finished) {
    mark(stamp, new Taker(owner.pipeline() != null ? owner.pipeline()
        : Taker.anonymous(owner.owner(), owner.host(), owner.pid()), owner.request(), finished));
  }

  public void mark(String stamp, Taker taker) {
    store.put(layout.backup(stamp, MARKER), io.garden.common.model.JsonFiles.write(
        io.garden.common.format.Json.files().createObjectNode().put("pipeline", taker.pipeline())
            .put("request", taker.request()).put("finished", taker.finished())));
  }

  /** Who took the backup {@code stamp}, when it was recorded. */
  public Optional<Taker> takenBy(String stamp) {
    return PublishedIndex.marker(store, layout, stamp).map(m -> new Taker(m.pipeline(), m.request(), m.finished()));
  }

  /** The newest backup and who took it, when a publish of a pipeline took it. */
  public Optional<Map.Entry<String, Taker>> newestTaken() {
    List<String> stamps = stamps();
    if (stamps.isEmpty()) {
      return Optional.empty();
    }
    String newest = stamps.get(stamps.size() - 1);
    return takenBy(newest).map(taker -> Map.entry(newest, taker));
  }

  /** The newest backup whose every file parses. */
  public Optional<String> newestThatParses(List<String> files) {
    List<String> stamps = new ArrayList<>(stamps());
    stamps.sort(Comparator.reverseOrder());
    return stamps.stream().filter(stamp -> files.stream().allMatch(file -> store.get(layout.backup(stamp, file))
        .map(o -> parses(o.body(), layout.backup(stamp, file))).orElse(true))).findFirst();
  }

  /** A backup's entries per file (a missing file is an empty index). */
  public Map<String, List<IndexEntry>> read(String stamp, List<String> files) {
    Map<String, List<IndexEntry>> content = new LinkedHashMap<>();
    for (String file : files) {
      String key = layout.backup(stamp, file);
      content.put(file, store.get(key).map(o -> RegistryJson.parse(o.body(), key)).orElse(List.of()));
    }
    return content;
  }

  /** Deletes all but the newest {@code keep} backups. */
  public void prune(int keep, List<String> files) {
    List<String> stamps = stamps();
    for (String stamp : stamps.subList(0, Math.max(0, stamps.size() - keep))) {
      List<String> withMarker = new ArrayList<>(files);
      withMarker.add(MARKER);
      for (String file : withMarker) {
        String key = layout.backup(stamp, file);
        store.get(key).ifPresent(o -> {
          try {
            store.deleteIfMatch(key, o.etag());
          } catch (io.garden.common.store.PreconditionFailedException alreadyGone) {
            // Deleted or replaced since we looked: nothing left to prune here.
          }
        });
      }
    }
  }

  private static boolean parses(byte[] body, String where) {
    try {
      RegistryJson.parse(body, where);
      return true;
    } catch (IllegalStateException corrupt) {
      return false;
    }
  }
}
