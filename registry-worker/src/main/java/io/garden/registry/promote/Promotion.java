package io.garden.registry.promote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.model.ImageRef;
import io.garden.common.model.Stage;
import io.garden.extension.compose.ComposeYaml;
import io.garden.registry.IndexEntry;
import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * promote (SPEC §5, §7): what a later stage gets is the earlier stage's published entry, unchanged but for its own
 * images' tags — each still pinned by the digest that was tested there. No rebuild, no second push of the bytes:
 * the registry tags the same manifest ({@link ImageMove}), then the entry is published by the usual version rules.
 *
 * @param indexFile the index file the entry is in ({@code apps.json} or {@code tools.json})
 * @param entry     the entry to publish on the later stage
 * @param moves     the tags to add in the image registry first (source pinned by digest → target tag, same digest)
 */
public record Promotion(String indexFile, IndexEntry entry, List<ImageMove> moves) {

  /** One image to tag: {@code source} (pinned) gets {@code target}'s tag, with the same digest. */
  public record ImageMove(ImageRef source, ImageRef target) {
  }

  public Promotion {
    moves = List.copyOf(moves);
  }

  /**
   * @param published the entries of {@code indexFile} on {@code from}
   * @param version   which of them (empty: the newest)
   * @throws IllegalArgumentException with what to do, when there is nothing to promote or it is not pinned
   */
  public static Promotion plan(String indexFile, String name, List<IndexEntry> published, Optional<String> version,
                               Stage from, Stage to) {
    from.requirePromotableTo(to);
    IndexEntry chosen = choose(name, published, version, from);
    Map<String, String> retagged = new LinkedHashMap<>();
    List<ImageMove> moves = new ArrayList<>();
    ObjectNode tree = chosen.tree();
    for (JsonNode image : tree.path("docker_images")) {
      ImageRef ref = ImageRef.parse(image.asText());
      if (ref == null || !ref.isOwn()) {
        continue; // Other people's images are pinned (or not) by their authors: the entry names them as it is.
      }
      String expected = from.tag(chosen.version());
      if (ref.digest() == null || !expected.equals(ref.tag())) {
        throw new IllegalArgumentException("Error: " + image.asText() + " in " + name + " " + chosen.version()
            + " on " + from.id() + " is not pinned as " + ref.name() + ":" + expected + "@sha256:…, so nothing"
            + " says what was tested there; push it to " + from.id() + " (garden push --stage " + from.id()
            + "), publish there again, then promote");
      }
      ImageRef target = ref.withTag(to.tag(chosen.version())).withDigest(ref.digest());
      moves.add(new ImageMove(ref, target));
      retagged.put(image.asText(), target.toString());
    }
    return new Promotion(indexFile, IndexEntry.of(rewritten(tree, retagged)), moves);
  }

  private static IndexEntry choose(String name, List<IndexEntry> published, Optional<String> version, Stage from) {
    List<IndexEntry> named = published.stream().filter(e -> e.name().equals(name) && e.version() != null).toList();
    if (named.isEmpty()) {
      throw new IllegalArgumentException("Error: nothing named " + name + " is published on " + from.id()
          + "; publish it there first (garden publish-registry --stage " + from.id() + ")");
    }
    if (version.isPresent()) {
      return named.stream().filter(e -> e.version().equals(version.get())).findFirst().orElseThrow(() ->
          new IllegalArgumentException("Error: " + name + " " + version.get() + " is not published on " + from.id()
              + " (published: " + String.join(", ", named.stream().map(IndexEntry::version).toList()) + ")"));
    }
    return named.stream().max(Comparator.comparing(e -> Semver.coerce(e.version()),
        Comparator.nullsFirst(Comparator.naturalOrder()))).orElseThrow();
  }

  /** The same entry with every promoted image reference replaced, in compose_yml, docker_images and image. */
  private static ObjectNode rewritten(ObjectNode tree, Map<String, String> retagged) {
    ObjectNode out = tree.deepCopy();
    if (out.path("compose_yml").isTextual()) {
      out.put("compose_yml", ComposeYaml.rewriteImages(out.get("compose_yml").asText(),
          image -> retagged.getOrDefault(image, image)));
    }
    if (out.path("image").isTextual()) {
      out.put("image", retagged.getOrDefault(out.get("image").asText(), out.get("image").asText()));
    }
    ArrayNode images = out.putArray("docker_images");
    tree.path("docker_images").forEach(i -> images.add(retagged.getOrDefault(i.asText(), i.asText())));
    return out;
  }
}
