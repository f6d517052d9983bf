package io.garden.common.config;

import io.garden.common.model.Stage;

import java.util.Locale;
import java.util.Map;

/**
 * Where a stage's object store is, read from the environment. {@code location} is a folder path, or
 * {@code s3://bucket[/prefix]}, or null for the default folder {@code .garden/store} under the repository.
 *
 * @param place the stage's own place inside a location shared by every stage ({@code dev}, {@code stage},
 *              {@code prod}), or null when the location is the stage's alone ({@code GARDEN_STORE_{STAGE}}) or this
 *              is the artifact store. One stage's index is never merged against another's.
 */
public record StoreConfig(String location, String s3Endpoint, String s3Region, boolean s3PathStyle, String awsProfile,
                          String place) {

  public StoreConfig(String location, String s3Endpoint, String s3Region, boolean s3PathStyle, String awsProfile) {
    this(location, s3Endpoint, s3Region, s3PathStyle, awsProfile, null);
  }

  /**
   * {@code GARDEN_STORE_{STAGE}} overrides {@code GARDEN_STORE}, and {@code AWS_PROFILE_{STAGE}} overrides
   * {@code AWS_PROFILE}, as the old toolchain kept one bucket per stage. Without a store of its own, a stage has
   * its own place (a {@code {stage}/} prefix) in the shared {@code GARDEN_STORE} or the default folder.
   */
  public static StoreConfig fromEnv(Map<String, String> env, Stage stage) {
    String suffix = stage == null ? null : "_" + stage.name().toUpperCase(Locale.ROOT);
    String own = suffix == null ? null : env.get("GARDEN_STORE" + suffix);
    String place = stage == null || own != null && !own.isBlank() ? null : stage.id();
    return new StoreConfig(
        firstSet(env, suffix == null ? null : "GARDEN_STORE" + suffix, "GARDEN_STORE"),
        firstSet(env, suffix == null ? null : "GARDEN_S3_ENDPOINT" + suffix, "GARDEN_S3_ENDPOINT"),
        firstSet(env, suffix == null ? null : "GARDEN_S3_REGION" + suffix, "GARDEN_S3_REGION"),
        Boolean.parseBoolean(firstSet(env, suffix == null ? null : "GARDEN_S3_PATH_STYLE" + suffix,
            "GARDEN_S3_PATH_STYLE")),
        firstSet(env, suffix == null ? null : "AWS_PROFILE" + suffix, "AWS_PROFILE"),
        place);
  }

  /** The artifact store: {@code GARDEN_ARTIFACT_STORE}, else the general {@code GARDEN_STORE} settings. */
  public static StoreConfig artifactsFromEnv(Map<String, String> env) {
    StoreConfig general = fromEnv(env, null);
    String own = env.get("GARDEN_ARTIFACT_STORE");
    return own == null || own.isBlank() ? general
        : new StoreConfig(own.trim(), general.s3Endpoint(), general.s3Region(), general.s3PathStyle(),
            general.awsProfile(), null);
  }

  /** This store, or the same settings in {@code location} when it names none. */
  public StoreConfig withDefaultLocation(String location) {
    return this.location != null ? this
        : new StoreConfig(location, s3Endpoint, s3Region, s3PathStyle, awsProfile, place);
  }

  /** The shared location itself, without this stage's place in it (where a store of the old layout kept all). */
  public StoreConfig shared() {
    return new StoreConfig(location, s3Endpoint, s3Region, s3PathStyle, awsProfile, null);
  }

  /** The same settings, with this stage's place in the shared location. */
  public StoreConfig placed(String newPlace) {
    return new StoreConfig(location, s3Endpoint, s3Region, s3PathStyle, awsProfile, newPlace);
  }

  public boolean isS3() {
    return location != null && location.startsWith("s3://");
  }

  private static String firstSet(Map<String, String> env, String specific, String general) {
    if (specific != null) {
      String value = env.get(specific);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    String value = env.get(general);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
