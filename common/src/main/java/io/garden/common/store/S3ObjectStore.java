package io.garden.common.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The object store on any S3-compatible service (AWS S3, MinIO, R2, ...), through the AWS SDK v2 with its
 * synchronous URL-connection client (Netty stays Vert.x's). Blocking: call it from worker threads.
 *
 * <p>Conditional writes map to {@code If-None-Match: *} and {@code If-Match: etag}; S3 answers 412 when the
 * condition fails and 409 when a concurrent conditional write won the race — both are a refused precondition.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String description;

  public S3ObjectStore(S3StoreSettings settings) {
    this.bucket = settings.bucket();
    this.prefix = settings.prefix();
    this.s3 = client(settings);
    this.description = "S3 store s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
        + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
  }

  private static S3Client client(S3StoreSettings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .region(Region.of(settings.region()))
        .forcePathStyle(settings.pathStyle())
        // S3-compatible servers reject the SDK's default trailing checksums; only send them where required.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(credentials(settings));
    if (settings.endpoint() != null) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3StoreSettings settings) {
    // Credentials come only from the usual AWS sources (env, profile, instance role); we never hold them.
    if (settings.profile() != null) {
      return ProfileCredentialsProvider.create(settings.profile());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public Optional<StoredObject> get(String key) {
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(
          GetObjectRequest.builder().bucket(bucket).key(fullKey(key)).build());
      return Optional.of(new StoredObject(key, bytes.asByteArray(), bytes.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public String putIfAbsent(String key, byte[] body) {
    return putObject(key, body, PutObjectRequest.builder().ifNoneMatch("*"), "already exists", false);
  }

  @Override
  public String putIfMatch(String key, byte[] body, String etag) {
    return putObject(key, body, PutObjectRequest.builder().ifMatch(etag),
        "changed since it was read (ETag " + etag + " is stale) or is gone", true);
  }

  @Override
  public String put(String key, byte[] body) {
    return putObject(key, body, PutObjectRequest.builder(), "was refused", false);
  }

  @Override
  public void deleteIfMatch(String key, String etag) {
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(fullKey(key)).ifMatch(etag).build());
    } catch (S3Exception e) {
      if (isPreconditionFailure(e) || e.statusCode() == 404) {
        throw new PreconditionFailedException(key,
            "object '" + key + "' changed since it was read (ETag " + etag + " is stale) or is gone in " + description);
      }
      throw failure("delete", key, e);
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) {
    String checked = ObjectKeys.checkPrefix(keyPrefix);
    try {
      return s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(withPrefix(checked)).build())
          .contents().stream()
          .map(S3Object::key)
          .map(k -> k.substring(prefix.isEmpty() ? 0 : prefix.length() + 1))
          .sorted()
          .toList();
    } catch (SdkException e) {
      throw failure("list", keyPrefix, e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    s3.close();
  }

  /** @param missingIsRefusal an If-Match write to a key that is gone: S3 answers 404, which means "stale" here */
  private String putObject(String key, byte[] body, PutObjectRequest.Builder request, String refusal,
                           boolean missingIsRefusal) {
    try {
      return s3.putObject(request.bucket(bucket).key(fullKey(key)).contentLength((long) body.length).build(),
          RequestBody.fromBytes(body)).eTag();
    } catch (S3Exception e) {
      if (isPreconditionFailure(e) || (missingIsRefusal && e.statusCode() == 404)) {
        throw new PreconditionFailedException(key, "object '" + key + "' " + refusal + " in " + description);
      }
      throw failure("write", key, e);
    } catch (SdkException e) {
      throw failure("write", key, e);
    }
  }

  private static boolean isPreconditionFailure(S3Exception e) {
    // 412: the condition is false. 409 ConditionalRequestConflict: a concurrent conditional write won.
    return e.statusCode() == 412 || e.statusCode() == 409;
  }

  private String fullKey(String key) {
    return withPrefix(ObjectKeys.check(key));
  }

  private String withPrefix(String checked) {
    return prefix.isEmpty() ? checked : prefix + "/" + checked;
  }

  private ObjectStoreException failure(String action, String key, SdkException e) {
    return new ObjectStoreException("cannot " + action + " '" + key + "' in " + description + ": " + e.getMessage(), e);
  }
}
