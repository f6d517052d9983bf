package io.garden.common.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.StoredObject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stage's index files as one whole publish left them, never half of one. A publish backs up the index and marks
 * the backup (its pipeline, not finished) before it writes the first file, and marks it finished once it is done
 * (a worker: once its events are out). So while the newest backup is not finished, a publish is writing (or died
 * writing, until the next one finishes or undoes it) and the backup is the whole index as it was; otherwise the
 * files are. The newest backup is looked at before and after the files are read: a publish that began in between
 * is noticed, and the read done again. For garden's own readers (list-published, download-registry, the gateway);
 * App Garden reads the two files as they are.
 */
public final class PublishedIndex {

  /** Beside a backup's files: which publish took it and whether it finished. */
  public static final String MARKER = "publish.json";
  private static final int ATTEMPTS = 5;

  private PublishedIndex() {
  }

  /** Which publish took a backup: its pipeline, which request of it, and whether it finished. */
  public record Marker(String pipeline, String request, boolean finished) {
  }

  /** @return each file's object, as one whole publish left them (empty: the file is not there) */
  public static Map<String, Optional<StoredObject>> read(ObjectStore store, RemoteLayout layout, List<String> files) {
    Map<String, Optional<StoredObject>> read = Map.of();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Map.Entry<String, Optional<Marker>>> before = newest(store, layout);
      boolean writing = before.isPresent() && before.get().getValue().map(m -> !m.finished()).orElse(false);
      read = new LinkedHashMap<>();
      for (String file : files) {
        read.put(file, store.get(writing ? layout.backup(before.get().getKey(), file) : layout.index(file)));
      }
      if (Objects.equals(before, newest(store, layout))) {
        return read;
      }
    }
    return read; // publishes in a tight loop: the last read, whole per file
  }

  /** The stamps of the layout's backups, oldest first. */
  public static List<String> stamps(ObjectStore store, RemoteLayout layout) {
    String prefix = layout.backups();
    String suffix = "/garden/" + layout.format().dir() + "/";
    return store.list(prefix).stream()
        .map(k -> k.substring(prefix.length()))
        .filter(k -> k.contains(suffix))
        .map(k -> k.substring(0, k.indexOf('/')))
        .distinct().sorted().toList();
  }

  /** The marker beside the backup {@code stamp}, when there is one that reads. */
  public static Optional<Marker> marker(ObjectStore store, RemoteLayout layout, String stamp) {
    return store.get(layout.backup(stamp, MARKER)).flatMap(o -> {
      try {
        JsonNode marker = Json.files().readTree(o.body());
        String pipeline = marker.path("pipeline").asText(null);
        return pipeline == null ? Optional.empty() : Optional.of(new Marker(pipeline,
            marker.path("request").asText(null), marker.path("finished").asBoolean(false)));
      } catch (IOException unreadable) {
        return Optional.empty();
      }
    });
  }

  private static Optional<Map.Entry<String, Optional<Marker>>> newest(ObjectStore store, RemoteLayout layout) {
    List<String> stamps = stamps(store, layout);
    if (stamps.isEmpty()) {
      return Optional.empty();
    }
    String newest = stamps.get(stamps.size() - 1);
    return Optional.of(Map.entry(newest, marker(store, layout, newest)));
  }
}
