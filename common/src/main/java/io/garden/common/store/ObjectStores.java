package io.garden.common.store;

import io.garden.common.config.StoreConfig;

import java.nio.file.Path;

/** Opens the store a {@link StoreConfig} names. */
public final class ObjectStores {

  /** The default folder store, relative to the extensions repository. */
  public static final String DEFAULT_FOLDER = ".garden/store";

  private ObjectStores() {
  }

  public static ObjectStore open(StoreConfig config, Path repoRoot) {
    if (config.location() == null) {
      return new FileObjectStore(repoRoot.resolve(DEFAULT_FOLDER));
    }
    if (config.isS3()) {
      String rest = config.location().substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      return new S3ObjectStore(new S3StoreSettings(bucket, prefix, config.s3Endpoint(), config.s3Region(),
          config.s3PathStyle(), config.awsProfile()));
    }
    String folder = config.location().startsWith("file://")
        ? config.location().substring("file://".length()) : config.location();
    return new FileObjectStore(Path.of(folder));
  }
}
