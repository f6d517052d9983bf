package io.garden.build;

import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;

/**
 * Asks an image registry for a manifest's digest, when the engine's push output did not carry it. For a multi-arch
 * image this is the index digest, which is what a platform should pin.
 */
final class RegistryDigests {

  private RegistryDigests() {
  }

  static String lookup(String ref) {
    ImageRef parsed = ImageRef.parse(ref);
    if (parsed == null || parsed.registry() == null) {
      throw new IllegalStateException("the engine reported no digest for " + ref + " and it names no registry to"
          + " ask (set GARDEN_IMAGE_REGISTRY)");
    }
    return ImageRegistryApi.shared().digestOf(parsed);
  }
}
