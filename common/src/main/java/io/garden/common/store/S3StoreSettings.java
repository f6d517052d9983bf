package io.garden.common.store;

/**
 * Where an S3 store lives. Holds no secrets: credentials come from the AWS SDK's usual sources (environment,
 * {@code profile}, instance role).
 *
 * @param bucket    the bucket
 * @param prefix    a key prefix inside the bucket ("" for none), from {@code s3://bucket/prefix}
 * @param endpoint  an S3-compatible endpoint URL, or null for AWS
 * @param region    the signing region
 * @param pathStyle path-style addressing (MinIO and most S3-compatible servers need it)
 * @param profile   an AWS profile name, or null for the default credential chain
 */
public record S3StoreSettings(
    String bucket, String prefix, String endpoint, String region, boolean pathStyle, String profile) {

  public S3StoreSettings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 store needs a bucket: GARDEN_STORE=s3://bucket[/prefix]");
    }
    prefix = prefix == null ? "" : stripSlashes(prefix);
    if (!prefix.isEmpty()) {
      ObjectKeys.check(prefix);
    }
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  private static String stripSlashes(String value) {
    String s = value;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
