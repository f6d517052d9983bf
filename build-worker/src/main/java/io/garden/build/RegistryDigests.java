package io.garden.build;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks an image registry (v2 API) for a manifest's digest, when the engine's push output did not carry it. For a
 * multi-arch image this is the index digest, which is what a platform should pin.
 */
final class RegistryDigests {

  private static final String ACCEPT = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private RegistryDigests() {
  }

  static String lookup(String ref) {
    int slash = ref.indexOf('/');
    int colon = ref.lastIndexOf(':');
    String first = slash < 0 ? "" : ref.substring(0, slash);
    if (!(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      throw new IllegalStateException("the engine reported no digest for " + ref + " and it names no registry to"
          + " ask (set GARDEN_IMAGE_REGISTRY)");
    }
    String registry = first;
    String repository = ref.substring(slash + 1, colon);
    String tag = ref.substring(colon + 1);
    String scheme = registry.startsWith("localhost") || registry.startsWith("127.") ? "http" : "https";
    try {
      HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(scheme + "://" + registry + "/v2/" + repository + "/manifests/" + tag))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
      return response.headers().firstValue("Docker-Content-Digest").orElseThrow(() ->
          new IllegalStateException("registry " + registry + " reported no digest for " + ref));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + registry + " for the digest of " + ref, e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot ask " + registry + " for the digest of " + ref + ": "
          + e.getMessage(), e);
    }
  }
}
