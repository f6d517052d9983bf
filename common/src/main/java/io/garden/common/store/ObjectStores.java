package io.garden.common.store;

import io.garden.common.config.StoreConfig;

import java.nio.file.Path;

/** Opens the store a {@link StoreConfig} names. */
public final class ObjectStores {

  /** The default folder store, relative to the extensions repository. */
  public static final String DEFAULT_FOLDER = ".garden/store";

  private ObjectStores() {
  }

  /**
   * Opens a stage's store (its own place in a shared location), after making sure the shared location does not
   * still hold a registry of the layout before stages had places of their own: that one would be silently ignored.
   *
   * @throws IllegalArgumentException when it does, naming the command that moves it
   */
  public static ObjectStore open(StoreConfig config, Path repoRoot) {
    if (config.place() != null) {
      try (ObjectStore shared = openAt(config.shared(), repoRoot)) {
        if (!shared.list(ObjectKeys.LEGACY_MARKER).isEmpty()) {
          throw new IllegalArgumentException(StageLayout.legacyMessage(shared.describe()));
        }
      }
    }
    return new TracedObjectStore(openAt(config, repoRoot));
  }

  /** Opens exactly what the configuration names, without looking at the shared location's layout. */
  /** The store under its tracing (what kind of store it is, for tests and messages). */
  public static ObjectStore unwrap(ObjectStore store) {
    return store instanceof TracedObjectStore traced ? traced.inner() : store;
  }

  /** The folder a folder store keeps its objects in; empty for an S3 store. Nothing is created. */
  public static java.util.Optional<Path> folderOf(StoreConfig config, Path repoRoot) {
    String place = config.place() == null ? "" : config.place();
    if (config.location() == null) {
      return java.util.Optional.of(repoRoot.resolve(DEFAULT_FOLDER).resolve(place));
    }
    if (config.isS3()) {
      return java.util.Optional.empty();
    }
    String folder = config.location().startsWith("file://")
        ? config.location().substring("file://".length()) : config.location();
    return java.util.Optional.of(Path.of(folder).resolve(place));
  }

  public static ObjectStore openAt(StoreConfig config, Path repoRoot) {
    String place = config.place() == null ? "" : config.place();
    if (config.location() == null) {
      return new FileObjectStore(repoRoot.resolve(DEFAULT_FOLDER).resolve(place));
    }
    if (config.isS3()) {
      String rest = config.location().substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      String placed = place.isEmpty() ? prefix : prefix.isEmpty() ? place : prefix.replaceAll("/+$", "") + "/" + place;
      return new S3ObjectStore(new S3StoreSettings(bucket, placed, config.s3Endpoint(), config.s3Region(),
          config.s3PathStyle(), config.awsProfile()));
    }
    String folder = config.location().startsWith("file://")
        ? config.location().substring("file://".length()) : config.location();
    return new FileObjectStore(Path.of(folder).resolve(place));
  }
}
