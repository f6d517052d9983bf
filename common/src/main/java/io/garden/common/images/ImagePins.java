package io.garden.common.images;

import io.garden.common.model.ImageRef;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What an image tag is pinned to, asked of the one place that knows: the configured image registry
 * ({@code GARDEN_IMAGE_REGISTRY}), whoever pushed it, from whichever checkout or host. A local record of pushes may
 * stand in only when no registry is configured (images on Docker Hub); it never decides over the registry.
 */
public final class ImagePins {

  /** What the registry says of one tag. */
  public sealed interface Pin {
    /** The reference to name in an index: the registry's host, the tag, and the digest it points at. */
    record Pinned(String reference) implements Pin {
    }

    /** The registry has no such tag: it was never pushed there. */
    record NotPushed(String reference) implements Pin {
    }

    /** The registry could not be asked, or its answer made no sense. */
    record Unknown(String reference, String why) implements Pin {
    }
  }

  private final String registry;
  private final Function<ImageRef, java.util.Optional<String>> digests;
  private final Map<String, Pin> asked = new ConcurrentHashMap<>();
  /** Set once the registry could not be reached: the other tags are not asked (each would wait its timeout). */
  private volatile String unreachable;

  ImagePins(String registry, Function<ImageRef, java.util.Optional<String>> digests) {
    this.registry = registry == null || registry.isBlank() ? null : registry.trim().replaceAll("/+$", "");
    this.digests = digests;
  }

  /** Pins from {@code registry} ({@code localhost:5000}); none when it is null (Docker Hub, not asked). */
  public static ImagePins of(String registry) {
    return new ImagePins(registry, ImageRegistryApi.shared()::digestIfPushed);
  }

  /** No registry to ask: pins come only from a local record, as before there was one. */
  public static ImagePins none() {
    return new ImagePins(null, ref -> java.util.Optional.empty());
  }

  public boolean configured() {
    return registry != null;
  }

  public String registry() {
    return registry;
  }

  /**
   * The pin of an own image as an index names it ({@code kamiwazaai/x:1.0.0-stage}), pushed to this registry. Each
   * tag is asked once per instance: one build asks once however many entries name it.
   */
  public Pin resolve(String image) {
    if (registry == null) {
      throw new IllegalStateException("no image registry is configured (GARDEN_IMAGE_REGISTRY)");
    }
    return asked.computeIfAbsent(image, this::ask);
  }

  private Pin ask(String image) {
    String pushedTo = registry + "/" + image;
    ImageRef ref = ImageRef.parse(pushedTo);
    if (ref == null || ref.tag() == null) {
      return new Pin.Unknown(pushedTo, "not an image reference with a tag");
    }
    if (unreachable != null) {
      return new Pin.Unknown(pushedTo, unreachable);
    }
    try {
      return digests.apply(ref).<Pin>map(digest -> new Pin.Pinned(ref.withDigest(digest).toString()))
          .orElseGet(() -> new Pin.NotPushed(pushedTo));
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).startsWith("cannot reach registry")) {
        unreachable = e.getMessage();
      }
      return new Pin.Unknown(pushedTo, e.getMessage());
    }
  }
}
