package io.garden.common.images;

import io.garden.common.model.ImageRef;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An image registry through its HTTP API (distribution v2), for what needs no engine: the digest a tag points at,
 * and a new tag for a manifest that is already there (promote). Copying the manifest's exact bytes keeps its
 * digest, so what a later stage pulls is byte for byte what was tested; pulling and pushing again through an
 * engine may re-compress layers and would not. Anonymous access: a registry that asks for credentials is named in
 * the error with the way out.
 */
public final class ImageRegistryApi {

  private static final String ACCEPT = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final int MANIFEST_LIMIT = 4 * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  // Registries may answer a blob with a redirect to their storage.
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  /** One client per process for the callers that ask often (a worker, per request): it is thread-safe. */
  private static final class Shared {
    static final ImageRegistryApi INSTANCE = new ImageRegistryApi();
  }

  public static ImageRegistryApi shared() {
    return Shared.INSTANCE;
  }

  /** A registry's API root ({@code /v2/}): plain HTTP on loopback, HTTPS elsewhere, as every call here uses it. */
  public static URI apiRoot(String host) {
    String scheme = host.startsWith("localhost") || host.startsWith("127.") || host.startsWith("[::1]") ? "http"
        : "https";
    return URI.create(scheme + "://" + host + "/v2/");
  }

  /**
   * What {@code GET /v2/} answers at {@code host}: 200, or 401 for a registry asking for credentials, say the
   * registry API is there.
   *
   * @throws IOException when nothing answers
   */
  public static int ping(String host, Duration timeout) throws IOException, InterruptedException {
    return HttpClient.newBuilder().connectTimeout(timeout).build().send(HttpRequest.newBuilder(apiRoot(host))
        .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The digest {@code ref}'s tag points at (for a multi-arch image, the index digest). */
  public String digestOf(ImageRef ref) {
    HttpResponse<Void> response = head(ref, ref.tag());
    expect(response, 200, "the digest of " + ref);
    return digest(response, ref);
  }

  /**
   * The digest {@code ref}'s tag points at, or empty when the registry has no such tag (404): an image that was never
   * pushed there.
   *
   * @throws IllegalStateException when the registry cannot be asked, or answers anything else
   */
  public java.util.Optional<String> digestIfPushed(ImageRef ref) {
    HttpResponse<Void> response = head(ref, ref.tag());
    if (response.statusCode() == 404) {
      return java.util.Optional.empty();
    }
    expect(response, 200, "the digest of " + ref);
    return java.util.Optional.of(digest(response, ref));
  }

  /**
   * Tags the manifest {@code source} pins (its digest) as {@code newTag} in the same repository.
   *
   * @return the digest the registry reports for the new tag: always {@code source}'s
   * @throws IllegalStateException when the registry refuses, or answers with another digest
   */
  public String tag(ImageRef source, String newTag) {
    if (source.digest() == null) {
      throw new IllegalArgumentException(source + " is not pinned by a digest: nothing says which manifest to tag");
    }
    HttpResponse<byte[]> manifest = send(HttpRequest.newBuilder(manifestUri(source, source.digest()))
        .header("Accept", ACCEPT).GET(), source, HttpResponse.BodyHandlers.ofByteArray());
    expect(manifest, 200, "the manifest " + source);
    if (manifest.body().length > MANIFEST_LIMIT) {
      throw new IllegalStateException("the manifest of " + source + " is larger than " + MANIFEST_LIMIT + " bytes");
    }
    String mediaType = manifest.headers().firstValue("Content-Type").orElse(
        "application/vnd.docker.distribution.manifest.v2+json");
    HttpResponse<Void> put = send(HttpRequest.newBuilder(manifestUri(source, newTag))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())), source,
        HttpResponse.BodyHandlers.discarding());
    expect(put, 201, "tagging " + source + " as " + newTag);
    String digest = put.headers().firstValue("Docker-Content-Digest").orElse(source.digest());
    if (!digest.equals(source.digest())) {
      throw new IllegalStateException("registry " + host(source) + " stored " + source.name() + ":" + newTag
          + " as " + digest + ", not " + source.digest());
    }
    return digest;
  }

  /** A manifest as an index names it: its media type, digest and size in bytes. */
  public record Descriptor(String mediaType, String digest, long size) {
  }

  /** One child of an image index: a platform's manifest. */
  public record Child(Descriptor manifest, io.garden.common.platform.Platform platform) {
  }

  /**
   * The media type, digest and size of the manifest {@code ref} names (by tag or digest), as the registry stores it:
   * what an index must say of it, byte for byte.
   */
  public Descriptor descriptor(ImageRef ref) {
    HttpResponse<Void> response = head(ref, ref.digest() != null ? ref.digest() : ref.tag());
    expect(response, 200, "the manifest of " + ref);
    String digest = digest(response, ref);
    long size = response.headers().firstValueAsLong("Content-Length").orElseThrow(() ->
        new IllegalStateException("registry " + host(ref) + " reported no size for " + ref));
    String mediaType = response.headers().firstValue("Content-Type").orElseThrow(() ->
        new IllegalStateException("registry " + host(ref) + " reported no media type for " + ref));
    return new Descriptor(mediaType, digest, size);
  }

  /**
   * Puts an OCI image index of {@code children} under {@code target}'s tag: one tag, every platform. Each child must
   * already be in the same repository (the registry refuses an index naming a manifest it does not have).
   *
   * @return the index's digest, as the registry reports it
   */
  public String putIndex(ImageRef target, java.util.List<Child> children) {
    byte[] index = ImageIndex.json(children);
    HttpResponse<Void> put = send(HttpRequest.newBuilder(manifestUri(target, target.tag()))
        .header("Content-Type", ImageIndex.MEDIA_TYPE).PUT(HttpRequest.BodyPublishers.ofByteArray(index)), target,
        HttpResponse.BodyHandlers.discarding());
    expect(put, 201, "putting the image index " + target);
    return put.headers().firstValue("Docker-Content-Digest").orElse(ImageIndex.digest(index));
  }

  /** A manifest's exact bytes and media type (an image's, or an index's). */
  public record Manifest(String mediaType, byte[] bytes) {
  }

  /**
   * The manifest {@code ref} pins, byte for byte, checked against its digest: what is exported is what was tested.
   *
   * @throws IllegalStateException when the registry does not have it, or its bytes are not that digest's
   */
  public Manifest manifest(ImageRef ref) {
    if (ref.digest() == null) {
      throw new IllegalArgumentException(ref + " is not pinned by a digest");
    }
    HttpResponse<java.io.InputStream> response = send(HttpRequest.newBuilder(manifestUri(ref, ref.digest()))
        .header("Accept", ACCEPT).GET(), ref, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream body = response.body()) {
      expect(response, 200, "the manifest " + ref);
      byte[] bytes = body.readNBytes(MANIFEST_LIMIT + 1);
      if (bytes.length > MANIFEST_LIMIT) {
        throw new IllegalStateException("the manifest of " + ref + " is larger than " + MANIFEST_LIMIT + " bytes");
      }
      if (!ImageIndex.digest(bytes).equals(ref.digest())) {
        throw new IllegalStateException("registry " + host(ref) + " answered " + ref + " with other bytes (their"
            + " digest is " + ImageIndex.digest(bytes) + ")");
      }
      return new Manifest(response.headers().firstValue("Content-Type").orElse(""), bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the manifest " + ref + ": " + e.getMessage(), e);
    }
  }

  /**
   * Streams the blob {@code digest} of {@code repository}'s repository to {@code out}, checking its size and digest
   * as it goes: {@code out} has exactly {@code size} bytes, or this throws.
   */
  public void blob(ImageRef repository, String digest, long size, java.io.OutputStream out) {
    HttpResponse<java.io.InputStream> response = send(HttpRequest.newBuilder(manifestUri(repository, digest)
        .resolve("../blobs/" + digest)).GET(), repository, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream body = response.body()) {
      expect(response, 200, "the blob " + digest + " of " + repository.name());
      java.security.MessageDigest sha = ImageIndex.sha256();
      byte[] buffer = new byte[64 * 1024];
      long copied = 0;
      int n;
      while ((n = body.read(buffer, 0, (int) Math.min(buffer.length, size - copied + 1))) > 0) {
        copied += n;
        if (copied > size) {
          throw new IllegalStateException("the blob " + digest + " of " + repository.name() + " is larger than the "
              + size + " bytes its manifest says");
        }
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      String got = "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
      if (copied != size || !got.equals(digest)) {
        throw new IllegalStateException("the blob " + digest + " of " + repository.name() + " arrived as " + copied
            + " bytes with digest " + got + ", not " + size + " bytes of " + digest);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the blob " + digest + " of " + repository.name() + ": "
          + e.getMessage(), e);
    }
  }

  /** {@code HEAD} of the manifest {@code reference} (a tag or digest) names, every manifest kind accepted. */
  private HttpResponse<Void> head(ImageRef ref, String reference) {
    return send(HttpRequest.newBuilder(manifestUri(ref, reference)).method("HEAD",
        HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT), ref, HttpResponse.BodyHandlers.discarding());
  }

  private static String digest(HttpResponse<?> response, ImageRef ref) {
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow(() ->
        new IllegalStateException("registry " + host(ref) + " reported no digest for " + ref));
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, ImageRef ref, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request.timeout(TIMEOUT).build(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted talking to registry " + host(ref), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach registry " + host(ref) + " for " + ref + ": " + e.getMessage(), e);
    }
  }

  private static void expect(HttpResponse<?> response, int status, String what) {
    if (response.statusCode() == status) {
      return;
    }
    String host = response.uri().getAuthority();
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new IllegalStateException("registry " + host + " wants credentials for " + what + " (answered "
          + response.statusCode() + "); garden talks to registries anonymously — tag it with your registry's own"
          + " tools (docker buildx imagetools create, crane tag), then run this again");
    }
    if (response.statusCode() == 404) {
      throw new IllegalStateException("registry " + host + " answered 404 (not found) for " + what);
    }
    throw new IllegalStateException("registry " + host + " answered " + response.statusCode() + " for " + what);
  }

  private static URI manifestUri(ImageRef ref, String reference) {
    String repository = ref.registry() == null && !ref.repository().contains("/") ? "library/" + ref.repository()
        : ref.repository();
    return apiRoot(host(ref)).resolve(repository + "/manifests/" + reference);
  }

  /** Docker Hub when the reference names no registry. */
  private static String host(ImageRef ref) {
    return ref.registry() == null ? "registry-1.docker.io" : ref.registry();
  }
}
