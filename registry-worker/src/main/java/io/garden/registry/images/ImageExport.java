package io.garden.registry.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;
import io.garden.common.images.ImageIndex;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;
import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * export-images: the images a registry pins, for an install without access to the image registry, as one OCI image
 * layout in a tar ({@code podman load -i}, {@code skopeo copy oci-archive:…}). Each image is read from the image
 * registry by the digest the index pins, every manifest and blob checked against its digest, and only the chosen
 * platforms' children are kept: an index whose platforms are all kept is the very same bytes (same digest); a
 * narrower one is a new index, annotated with the digest it was cut from. Written to a temporary file and moved in
 * whole: a failure leaves no archive.
 */
public final class ImageExport {

  /** The annotation tools read an image's name from in an OCI layout. */
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** The same for containerd ({@code ctr images import}, nerdctl). */
  static final String CONTAINERD_NAME = "io.containerd.image.name";
  static final String CUT_FROM = "io.garden.image.index.cut-from";
  private static final int CONFIG_LIMIT = 4 * 1024 * 1024;
  private static final String BLOBS = "blobs/sha256/";

  /** What went into the archive. */
  public record Exported(Path file, List<String> images, int blobs, long bytes) {
  }

  private final ImageRegistryApi registry;
  private final Platforms platforms;
  private final Consumer<String> progress;
  private final Set<String> written = new HashSet<>();
  private long bytes;

  private ImageExport(ImageRegistryApi registry, Platforms platforms, Consumer<String> progress) {
    this.registry = registry;
    this.platforms = platforms;
    this.progress = progress;
  }

  /**
   * @param pinned the images, each pinned by digest ({@code registry/repo:tag@sha256:…})
   * @throws IllegalArgumentException naming an image that is not pinned, or has none of the chosen platforms
   */
  public static Exported export(List<ImageRef> pinned, Platforms platforms, Path target, ImageRegistryApi registry,
                                Consumer<String> progress) {
    for (ImageRef ref : pinned) {
      if (ref.digest() == null) {
        throw new IllegalArgumentException(ref + " is not pinned by a digest: push it, then build the registry for"
            + " its stage again, so what is exported is what was tested");
      }
    }
    Map<String, ImageRef> unique = new LinkedHashMap<>();
    pinned.forEach(ref -> unique.putIfAbsent(ref.toString(), ref));
    ImageExport export = new ImageExport(registry, platforms, progress);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".export-", ".tmp");
      try {
        try (OutputStream file = Files.newOutputStream(temp);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          export.file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
          ObjectNode layout = Json.events().createObjectNode();
          layout.put("schemaVersion", 2);
          layout.put("mediaType", ImageIndex.MEDIA_TYPE);
          ArrayNode manifests = layout.putArray("manifests");
          for (ImageRef ref : unique.values()) {
            progress.accept("📦 " + ref);
            ObjectNode descriptor = export.image(tar, ref);
            ObjectNode annotations = descriptor.putObject("annotations");
            String name = ref.withDigest(null).toString();
            annotations.put(REF_NAME, name);
            annotations.put(CONTAINERD_NAME, name);
            manifests.add(descriptor);
          }
          export.file(tar, "index.json", layout.toString().getBytes(StandardCharsets.UTF_8));
          tar.finish();
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    return new Exported(target, List.copyOf(unique.keySet()), export.written.size(), export.bytes);
  }

  /** Writes one image (an index and its kept children, or one manifest); returns its descriptor for index.json. */
  private ObjectNode image(TarArchiveOutputStream tar, ImageRef ref) throws IOException {
    ImageRegistryApi.Manifest manifest = registry.manifest(ref);
    JsonNode json = Json.events().readTree(manifest.bytes());
    if (!json.has("manifests")) {
      requirePlatform(ref, platformOf(ref, json));
      manifest(tar, ref, manifest, json);
      return descriptor(mediaType(manifest, json), ref.digest(), manifest.bytes().length);
    }
    ArrayNode kept = Json.events().createArrayNode();
    List<String> found = new ArrayList<>();
    for (JsonNode child : json.path("manifests")) {
      Platform platform = platform(child.path("platform"));
      if (platform != null) {
        found.add(platform.wire());
      }
      if (platform != null && platforms.list().contains(platform)) {
        ImageRef childRef = ref.withDigest(child.path("digest").asText());
        ImageRegistryApi.Manifest childManifest = registry.manifest(childRef);
        manifest(tar, childRef, childManifest, Json.events().readTree(childManifest.bytes()));
        kept.add(child);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(ref + " has no image for " + platforms.wire() + " (it has "
          + (found.isEmpty() ? "no platform named" : String.join(", ", found)) + "): export other platforms"
          + " (--platforms), or push this one for them");
    }
    byte[] index = manifest.bytes();
    if (kept.size() != json.path("manifests").size()) {
      ObjectNode narrowed = ((ObjectNode) json).deepCopy();
      narrowed.set("manifests", kept);
      narrowed.putObject("annotations").put(CUT_FROM, ref.digest());
      index = narrowed.toString().getBytes(StandardCharsets.UTF_8);
    }
    String digest = ImageIndex.digest(index);
    file(tar, blobPath(digest), index);
    return descriptor(mediaType(manifest, json), digest, index.length);
  }

  /** An image manifest, its config and its layers. */
  private void manifest(TarArchiveOutputStream tar, ImageRef ref, ImageRegistryApi.Manifest manifest, JsonNode json)
      throws IOException {
    List<JsonNode> blobs = new ArrayList<>();
    blobs.add(json.path("config"));
    json.path("layers").forEach(blobs::add);
    for (JsonNode blob : blobs) {
      String digest = blob.path("digest").asText();
      long size = blob.path("size").asLong(-1);
      if (!digest.startsWith("sha256:") || size < 0) {
        throw new IllegalStateException("the manifest " + ref + " names a blob without a sha256 digest and size");
      }
      if (written.add(digest)) {
        TarArchiveEntry entry = new TarArchiveEntry(blobPath(digest));
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        registry.blob(ref, digest, size, tar);
        tar.closeArchiveEntry();
        bytes += size;
      }
    }
    file(tar, blobPath(ref.digest()), manifest.bytes());
  }

  /** A single-platform image's platform, from its config. */
  private Platform platformOf(ImageRef ref, JsonNode manifest) {
    JsonNode config = manifest.path("config");
    long size = config.path("size").asLong(-1);
    if (size < 0 || size > CONFIG_LIMIT) {
      throw new IllegalStateException("the config of " + ref + " is missing or larger than " + CONFIG_LIMIT);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    registry.blob(ref, config.path("digest").asText(), size, out);
    try {
      JsonNode json = Json.events().readTree(out.toByteArray());
      return platform(json);
    } catch (IOException e) {
      throw new IllegalStateException("the config of " + ref + " is not JSON: " + e.getMessage(), e);
    }
  }

  private void requirePlatform(ImageRef ref, Platform platform) {
    if (platform == null || !platforms.list().contains(platform)) {
      throw new IllegalArgumentException(ref + " is a " + (platform == null ? "platform-less" : platform.wire())
          + " image only, not " + platforms.wire() + ": export that platform (--platforms), or push it for these");
    }
  }

  /** The platform an index entry or a config names; null for one garden does not know (attestations). */
  private static Platform platform(JsonNode node) {
    String os = node.path("os").asText("");
    String architecture = node.path("architecture").asText("");
    String variant = node.path("variant").asText("");
    try {
      return Platform.parse(os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant));
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static String mediaType(ImageRegistryApi.Manifest manifest, JsonNode json) {
    return json.path("mediaType").asText(manifest.mediaType());
  }

  private static ObjectNode descriptor(String mediaType, String digest, long size) {
    ObjectNode d = Json.events().createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    return d;
  }

  private static String blobPath(String digest) {
    return BLOBS + digest.substring("sha256:".length());
  }

  private void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    // A blob two images share (a base layer, a manifest) goes in once.
    if (name.startsWith(BLOBS) && !written.add("sha256:" + name.substring(BLOBS.length()))) {
      return;
    }
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
    bytes += content.length;
  }
}
