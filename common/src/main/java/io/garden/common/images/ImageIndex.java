package io.garden.common.images;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An OCI image index (image-spec {@code index.md}): one tag for every platform, each child named by media type,
 * digest, size and platform. Written in one fixed form, so the same children give the same bytes and digest.
 */
public final class ImageIndex {

  public static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  private ImageIndex() {
  }

  public static byte[] json(List<ImageRegistryApi.Child> children) {
    if (children.isEmpty()) {
      throw new IllegalArgumentException("an image index needs at least one platform's image");
    }
    ObjectNode index = Json.events().createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MEDIA_TYPE);
    ArrayNode manifests = index.putArray("manifests");
    for (ImageRegistryApi.Child child : children) {
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", child.manifest().mediaType());
      entry.put("digest", child.manifest().digest());
      entry.put("size", child.manifest().size());
      ObjectNode platform = entry.putObject("platform");
      platform.put("architecture", child.platform().architecture());
      platform.put("os", child.platform().os());
      if (child.platform().variant() != null) {
        platform.put("variant", child.platform().variant());
      }
    }
    return index.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code sha256:…} of the bytes, as a registry computes a manifest's digest. */
  public static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
