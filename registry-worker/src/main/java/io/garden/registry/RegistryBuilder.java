package io.garden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.model.AtomicFiles;
import io.garden.common.model.Documents;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionFiles;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.FileTrees;
import io.garden.common.model.Finding;
import io.garden.common.images.ImagePins;
import io.garden.common.model.ImageDigests;
import io.garden.common.model.ImageRef;
import io.garden.common.model.Severity;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import io.garden.extension.LoadedExtension;
import io.garden.extension.Selection;
import io.garden.extension.compose.ComposeYaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * build-registry (SPEC §6): one entry per extension = its kamiwaza.json + {@code compose_yml} (the appgarden file,
 * own image tags set for the stage — in prod too — and pinned by digest where pushes recorded one) +
 * {@code docker_images}. Services go in apps.json with the apps.
 */
public final class RegistryBuilder {

  public static final String OUTPUT = "build/kamiwaza-extension-registry";
  /** The old toolchain's one-file view of the last build, for scripts. */
  public static final String SUMMARY = "build/registry.json";

  private RegistryBuilder() {
  }

  /** Builds into {@code build/kamiwaza-extension-registry/garden/{dir}/} under the repository. */
  public static BuiltRegistry build(Path repoRoot, Stage stage, RegistryFormat format) {
    return build(repoRoot, stage, format, ImagePins.none());
  }

  /** @param pins where an image's digest is asked (the image registry); its answer is what the index pins */
  public static BuiltRegistry build(Path repoRoot, Stage stage, RegistryFormat format, ImagePins pins) {
    Selection selection = Selection.all(new ExtensionDiscovery(repoRoot));
    return build(repoRoot, stage, format, selection,
        selection.extensions().parallelStream().map(LoadedExtension::load).toList(), pins);
  }

  /** Builds from extensions already loaded (publish validates the very same ones). */
  public static BuiltRegistry build(Path repoRoot, Stage stage, RegistryFormat format, Selection selection,
                                    List<LoadedExtension> loaded) {
    return build(repoRoot, stage, format, selection, loaded, ImagePins.none());
  }

  /**
   * The same, pinning each own image by what {@code pins} says its tag points at in the image registry, whoever
   * pushed it: a push from another checkout, a promote, a pipeline on another host count as much as one from here.
   * An image that is not there is named (a warning; publishing to stage or prod refuses it). Only without a
   * registry does the local record of pushes ({@code build/image-digests.json}) pin.
   */
  public static BuiltRegistry build(Path repoRoot, Stage stage, RegistryFormat format, Selection selection,
                                    List<LoadedExtension> loaded, ImagePins pins) {
    Path out = repoRoot.resolve(OUTPUT).resolve("garden").resolve(format.dir());
    Pinning digests = new Pinning(pins, pins.configured() ? ImageDigests.empty() : ImageDigests.read(repoRoot));
    List<Finding> problems = new ArrayList<>();
    selection.rejected().forEach(r -> problems.addAll(r.findings()));
    List<ObjectNode> apps = new ArrayList<>();
    List<ObjectNode> tools = new ArrayList<>();
    List<Path[]> previews = new ArrayList<>();
    for (LoadedExtension e : loaded) {
      problems.addAll(e.problems());
      if (e.manifest().isEmpty()) {
        continue;
      }
      ObjectNode entry = entry(e, stage, digests, format, problems, previews);
      (e.ref().type() == ExtensionType.TOOL ? tools : apps).add(entry);
    }
    Comparator<ObjectNode> byName = Comparator.comparing(n -> n.path("name").asText());
    apps.sort(byName);
    tools.sort(byName);
    List<IndexEntry> appEntries = apps.stream().map(IndexEntry::of).toList();
    List<IndexEntry> toolEntries = tools.stream().map(IndexEntry::of).toList();
    BuiltRegistry built = new BuiltRegistry(out, appEntries, toolEntries, problems);
    publishOutput(out, built.ok(), temp -> write(temp, format, appEntries, toolEntries, previews));
    writeSummary(repoRoot, stage, format, built);
    if (built.ok()) {
      PackageHelpers.write(repoRoot.resolve(OUTPUT));
    }
    return built;
  }

  /**
   * {@code build/registry.json}, as the old toolchain left it for scripts: both indexes of the last successful
   * build in one file, with the stage and layout they were built for. A build with errors removes it, like the
   * registry folder, so no script reads a registry that does not match the repository.
   */
  private static void writeSummary(Path repoRoot, Stage stage, RegistryFormat format, BuiltRegistry built) {
    Path summary = repoRoot.resolve(SUMMARY);
    try {
      if (!built.ok()) {
        Files.deleteIfExists(summary);
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale " + summary + ": " + e.getMessage(), e);
    }
    ObjectNode root = io.garden.common.format.Json.files().createObjectNode();
    root.put("stage", stage.id()).put("repo_version", format == RegistryFormat.V1 ? "v1" : "v2")
        .put("path", OUTPUT + "/garden/" + format.dir());
    ArrayNode apps = root.putArray("apps");
    built.apps().forEach(e -> apps.add(e.tree()));
    ArrayNode tools = root.putArray("tools");
    built.tools().forEach(e -> tools.add(e.tree()));
    AtomicFiles.write(summary, io.garden.common.model.JsonFiles.write(root));
  }

  /**
   * Writes the registry into a temporary folder beside {@code out} and swaps it in only when complete and free of
   * errors; a build with errors removes the previous output, so nothing packages a registry that does not match the
   * repository. A crash mid-build leaves at most a temporary folder, never a half-written registry.
   */
  private static void publishOutput(Path out, boolean valid, java.util.function.Consumer<Path> writer) {
    // Unique per process and moment; not a random UUID, whose secure random source takes tens of ms to seed.
    String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path temp = out.resolveSibling("." + out.getFileName() + ".tmp-" + unique);
    Path old = out.resolveSibling("." + out.getFileName() + ".old-" + unique);
    try {
      if (valid) {
        writer.accept(temp);
      }
      if (Files.exists(out)) {
        Files.move(out, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      if (valid) {
        Files.move(temp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      FileTrees.delete(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the registry under " + out + ": " + e.getMessage(), e);
    } finally {
      try {
        FileTrees.delete(temp);
      } catch (IOException ignored) {
        // a leftover temporary folder is harmless and never packaged (its name starts with a dot)
      }
    }
  }

  /** Where pins come from: the registry when one is configured, else the local record. */
  private record Pinning(ImagePins registry, ImageDigests recorded) {
  }

  private static ObjectNode entry(LoadedExtension e, Stage stage, Pinning digests, RegistryFormat format,
                                  List<Finding> problems, List<Path[]> previews) {
    ObjectNode entry = e.manifest().orElseThrow().deepCopy();
    String id = e.ref().id();
    String version = entry.path("version").asText("");
    if (format.requiresRange() && entry.path("kamiwaza_version").asText("").isBlank()) {
      problems.add(Finding.error("registry.kamiwaza-version", id, "kamiwaza.json",
          "v2 registries require kamiwaza_version on every entry"));
    }
    String tag = stage.tag(version);
    java.util.function.UnaryOperator<String> forStage = image -> pin(retag(image, tag), stage, digests, e,
        problems);
    Set<String> images = new LinkedHashSet<>();
    e.appgardenText().ifPresent(text -> {
      String compose = ComposeYaml.rewriteImages(text, forStage);
      entry.put("compose_yml", compose);
      images.addAll(imagesOf(Documents.parseYamlMapping(e.ref().file("docker-compose.appgarden.yml"), compose)));
    });
    if (entry.path("image").isTextual()) {
      String image = forStage.apply(entry.get("image").asText());
      entry.put("image", image);
      images.add(image);
    }
    entry.path("extra_docker_images").forEach(i -> images.add(i.asText()));
    ArrayNode list = entry.putArray("docker_images");
    images.forEach(list::add);
    copyPreview(e, entry, format, previews, problems);
    return entry;
  }

  private static String retag(String image, String tag) {
    ImageRef ref = ImageRef.parse(image);
    return ref != null && ref.isOwn() ? ref.withTag(tag).toString() : image;
  }

  /**
   * The reference to name for an own image: in the registry it was pushed to, pinned by the digest its tag points at
   * there; else as it is, said as a finding ({@code registry.image-not-pushed}, {@code registry.image-unresolved}).
   */
  private static String pin(String image, Stage stage, Pinning digests, LoadedExtension e, List<Finding> problems) {
    ImageRef ref = ImageRef.parse(image);
    if (ref == null || ref.digest() != null) {
      return image;
    }
    if (!digests.registry().configured() || !ref.isOwn() || ref.registry() != null) {
      return digests.recorded().pinned(stage, image).orElse(image);
    }
    ImagePins.Pin pin = digests.registry().resolve(image);
    if (pin instanceof ImagePins.Pin.Pinned pinned) {
      return pinned.reference();
    }
    if (pin instanceof ImagePins.Pin.NotPushed missing) {
      problems.add(Finding.warning(NOT_PUSHED, e.ref().id(), "docker-compose.appgarden.yml", missing.reference()
          + " is not in the image registry: push it first: garden push " + e.ref().type().id() + " "
          + e.ref().name() + " --stage " + stage.id()));
    } else if (pin instanceof ImagePins.Pin.Unknown unknown) {
      problems.add(Finding.warning(UNRESOLVED, e.ref().id(), "docker-compose.appgarden.yml", "cannot tell what "
          + unknown.reference() + " points at: " + unknown.why()));
    }
    return image;
  }

  /** An own image whose tag is not in the configured image registry. */
  public static final String NOT_PUSHED = "registry.image-not-pushed";
  /** An own image the configured image registry could not be asked about. */
  public static final String UNRESOLVED = "registry.image-unresolved";

  private static List<String> imagesOf(Map<String, Object> compose) {
    List<String> images = new ArrayList<>();
    if (compose.get("services") instanceof Map<?, ?> services) {
      services.values().forEach(s -> {
        if (s instanceof Map<?, ?> service && service.get("image") != null) {
          images.add(service.get("image").toString());
        }
      });
    }
    return images;
  }

  /** A preview that is a file inside the extension is shipped in the format's images folder, referenced from there. */
  private static void copyPreview(LoadedExtension e, ObjectNode entry, RegistryFormat format, List<Path[]> previews,
                                  List<Finding> problems) {
    JsonNode preview = entry.get("preview_image");
    if (preview == null || !preview.isTextual() || preview.asText().startsWith("/")
        || preview.asText().startsWith("https://")) {
      return;
    }
    Path source = e.ref().dir().resolve(preview.asText()).normalize();
    try {
      ExtensionFiles.contained(e.ref().dir(), source);
    } catch (ExtensionFiles.PathEscapeException escape) {
      problems.add(new Finding(Severity.ERROR, ExtensionFiles.RULE, e.ref().id(), preview.asText(), 0, null,
          "preview_image " + escape.problem()));
      entry.remove("preview_image");
      return;
    }
    if (!Files.isRegularFile(source)) {
      return;
    }
    String name = e.ref().name() + "-" + source.getFileName();
    previews.add(new Path[] {source, Path.of(format.imagesDir(), name)});
    entry.put("preview_image", format.image(name));
  }

  private static void write(Path out, RegistryFormat format, List<IndexEntry> apps, List<IndexEntry> tools,
                            List<Path[]> previews) {
    try {
      Files.createDirectories(out.resolve(format.imagesDir()));
      AtomicFiles.write(out.resolve(BuiltRegistry.APPS), RegistryJson.render(apps));
      AtomicFiles.write(out.resolve(BuiltRegistry.TOOLS), RegistryJson.render(tools));
      for (Path[] p : previews) {
        Files.copy(p[0], out.resolve(p[1]), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the registry under " + out, e);
    }
  }

}
