package io.garden.gateway.views;

import io.garden.gateway.http.HttpProblem;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import io.garden.common.registry.RemoteLayout;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.StoredObject;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stage's store holds, read straight from it (the gateway reads; only the registry worker writes): the
 * published entries and the publish lock. Blocking.
 */
public final class RegistryView {

  private static final List<String> FILES = List.of("apps.json", "tools.json");

  private RegistryView() {
  }

  public static Map<String, Object> published(ObjectStore store, Stage stage) {
    RemoteLayout layout = new RemoteLayout(stage, RegistryFormat.V2);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", stage.id());
    json.put("store", store.describe());
    // As one whole publish left it: a publish writing now (or dead half way) is not shown half done.
    io.garden.common.registry.PublishedIndex.read(store, layout, FILES).forEach((file, object) -> json.put(
        file.replace(".json", ""), object.map(o -> entries(o, layout.index(file))).orElse(List.of())));
    return json;
  }

  private static List<Map<String, Object>> entries(StoredObject object, String key) {
    JsonNode tree;
    try {
      tree = Json.files().readTree(object.body());
    } catch (IOException e) {
      tree = null;
    }
    if (tree == null || !tree.isArray()) {
      throw new HttpProblem(502, "the published index " + key + " cannot be read; restore it with"
          + " garden restore-registry --stage STAGE");
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (JsonNode entry : tree) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", entry.path("name").asText(null));
      e.put("version", entry.path("version").asText(null));
      e.put("kamiwaza_version", entry.path("kamiwaza_version").asText(null));
      e.put("display_name", entry.path("display_name").asText(null));
      entries.add(e);
    }
    return entries;
  }

  public static Map<String, Object> lock(ObjectStore store, Stage stage, Clock clock) {
    String key = new RemoteLayout(stage, RegistryFormat.V2).lock();
    Optional<StoredObject> object = store.get(key);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", stage.id());
    json.put("key", key);
    json.put("held", object.isPresent());
    object.ifPresent(o -> {
      JsonNode lock;
      try {
        lock = Json.files().readTree(o.body());
      } catch (IOException e) {
        json.put("error", "the lock object cannot be read; remove it with garden remove-publish-lock --stage "
            + stage.id());
        return;
      }
      for (String field : new String[] {"owner", "host", "pid", "pipeline", "acquiredAt", "leaseExpiresAt",
          "fencingToken", "reason"}) {
        json.put(field, lock.hasNonNull(field) ? lock.get(field) : null);
      }
      String expires = lock.path("leaseExpiresAt").asText(null);
      if (expires != null) {
        try {
          json.put("leaseLeftSeconds", Math.max(0, Duration.between(clock.instant(), Instant.parse(expires))
              .toSeconds()));
        } catch (java.time.format.DateTimeParseException ignored) {
          json.put("leaseLeftSeconds", null);
        }
      }
    });
    return json;
  }
}
