package io.garden.gateway.views;

import io.garden.common.config.GardenConfig;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Reads what a stage's store holds and who holds its publish lock, off the event loop, for any door. */
public final class RegistryReader {

  private final Vertx vertx;
  private final GardenConfig config;
  private final Path root;
  private final Clock clock;

  public RegistryReader(Vertx vertx, GardenConfig config, Path root, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.root = root;
    this.clock = clock;
  }

  public Future<Map<String, Object>> published(Stage stage) {
    return vertx.executeBlocking(() -> {
      try (ObjectStore store = ObjectStores.open(config.store(stage), root)) {
        return RegistryView.published(store, stage);
      }
    }, false);
  }

  public Future<Map<String, Object>> lock(Stage stage) {
    return vertx.executeBlocking(() -> {
      try (ObjectStore store = ObjectStores.open(config.store(stage), root)) {
        return RegistryView.lock(store, stage, clock);
      }
    }, false);
  }
}
