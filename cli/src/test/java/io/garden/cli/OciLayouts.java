package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import io.garden.common.images.ImageIndex;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads an OCI image layout archive in tests, checking every blob is what its name says. */
final class OciLayouts {

  private OciLayouts() {
  }

  static Map<String, byte[]> read(Path archive) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        byte[] content = tar.readAllBytes();
        assertThat(files.put(entry.getName(), content)).as("%s once", entry.getName()).isNull();
        if (entry.getName().startsWith("blobs/sha256/")) {
          assertThat(ImageIndex.digest(content)).isEqualTo("sha256:" + entry.getName().substring(13));
        }
      }
    }
    assertThat(files).containsKeys("oci-layout", "index.json");
    return files;
  }

  /** The descriptor index.json gives for the image named {@code name}. */
  static JsonNode indexOf(Map<String, byte[]> layout, String name) throws IOException {
    for (JsonNode m : Json.events().readTree(layout.get("index.json")).path("manifests")) {
      if (m.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no image named " + name + " in " + new String(layout.get("index.json")));
  }

  static byte[] blob(Map<String, byte[]> layout, String digest) {
    return layout.get("blobs/sha256/" + digest.substring("sha256:".length()));
  }
}
