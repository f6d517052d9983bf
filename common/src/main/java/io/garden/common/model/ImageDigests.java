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
 * {@code build/image-digests.json}: every pushed image per stage, by the name the index uses, as the reference it
 * was pushed to, pinned by the digest the registry reported
 * ({@code {"dev": {"kamiwazaai/x:1.0.0-dev": "localhost:5000/kamiwazaai/x:1.0.0-dev@sha256:…"}}}). Pushes write it;
 * build-registry puts those references in the index, so what a platform pulls is exactly what was tested, from the
 * registry it was pushed to. Files written before hold the digest alone ({@code "sha256:…"}): the name is pinned
 * as it is.
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
    return recorded(stage, image).map(r -> r.contains("@") ? r.substring(r.indexOf('@') + 1) : r);
  }

  /**
   * What the index should name for an image pushed for a stage: the reference it was pushed to, pinned
   * ({@code localhost:5000/kamiwazaai/x:1.0.0@sha256:…}); for an entry of the older form, {@code image} pinned.
   */
  public Optional<String> pinned(Stage stage, String image) {
    return recorded(stage, image).map(r -> {
      if (r.contains("@")) {
        return r;
      }
      ImageRef ref = ImageRef.parse(image);
      return ref == null ? image : ref.withDigest(r).toString();
    });
  }

  private Optional<String> recorded(Stage stage, String image) {
    return Optional.ofNullable(byStage.getOrDefault(stage.id(), Map.of()).get(image));
  }

  /**
   * Records a push: {@code image} as the index names it, {@code pushedTo} the reference it went to (with the
   * registry's host unless Docker Hub), {@code digest} what the registry reported.
   */
  public ImageDigests with(Stage stage, String image, String pushedTo, String digest) {
    ImageRef pushed = ImageRef.parse(pushedTo);
    String value = pushed == null ? digest : pushed.withDigest(digest).toString();
    Map<String, Map<String, String>> copy = new TreeMap<>();
    byStage.forEach((s, d) -> copy.put(s, new TreeMap<>(d)));
    copy.computeIfAbsent(stage.id(), k -> new TreeMap<>()).put(image, value);
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
