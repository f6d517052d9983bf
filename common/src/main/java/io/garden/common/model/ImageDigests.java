package io.garden.common.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.garden.common.format.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code build/image-digests.json}: the digest the registry reported for every pushed image, per stage
 * ({@code {"dev": {"kamiwazaai/x:1.0.0-dev": "sha256:…"}}}). Pushes write it; build-registry pins images with it,
 * so what a platform pulls is exactly what was tested.
 */
public final class ImageDigests {

  public static final String FILE = "build/image-digests.json";

  private final Map<String, Map<String, String>> byStage;

  private ImageDigests(Map<String, Map<String, String>> byStage) {
    this.byStage = byStage;
  }

  public static ImageDigests empty() {
    return new ImageDigests(new TreeMap<>());
  }

  public static ImageDigests read(Path repoRoot) {
    Path file = repoRoot.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try {
      Map<String, Map<String, String>> map = Json.files()
          .readValue(Documents.readText(file), new TypeReference<TreeMap<String, Map<String, String>>>() { });
      Map<String, Map<String, String>> sorted = new TreeMap<>();
      map.forEach((stage, digests) -> sorted.put(stage, new TreeMap<>(digests)));
      return new ImageDigests(sorted);
    } catch (IOException e) {
      throw new DocumentException(file, 0, "invalid digests file: " + e.getMessage());
    }
  }

  /** The recorded digest of an image reference ({@code repo:tag}) pushed for a stage. */
  public Optional<String> digest(Stage stage, String image) {
    return Optional.ofNullable(byStage.getOrDefault(stage.id(), Map.of()).get(image));
  }

  public ImageDigests with(Stage stage, String image, String digest) {
    Map<String, Map<String, String>> copy = new TreeMap<>();
    byStage.forEach((s, d) -> copy.put(s, new TreeMap<>(d)));
    copy.computeIfAbsent(stage.id(), k -> new TreeMap<>()).put(image, digest);
    return new ImageDigests(copy);
  }

  public void write(Path repoRoot) {
    try {
      AtomicFiles.write(repoRoot.resolve(FILE),
          Json.files().writerWithDefaultPrettyPrinter().writeValueAsString(byStage) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
