package io.garden.cli;

import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;
import io.garden.common.platform.Platforms;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.IndexEntry;
import io.garden.registry.images.ImageExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code make export-images}: the images the registry of a stage pins, for an install without access to the image
 * registry. The pins are the image registry's own answer (the registry is built for the stage first, as
 * build-registry does), so the archive holds what that stage's index names, byte for byte.
 */
@Command(name = "export-images", mixinStandardHelpOptions = true,
    description = {"Export the images a stage's registry pins, as one OCI image archive.", "",
        "Builds the registry for the stage (as build-registry), then reads every image its entries",
        "pin from GARDEN_IMAGE_REGISTRY by digest, checked, and writes",
        "dist/kamiwaza-images-STAGE-YYYYMMDD-HHMMSS.tar: an OCI image layout. Of a multi-platform image",
        "only the chosen platforms are kept. Fill the site's own registry from it (the same index",
        "digest, so the registry's pins resolve there):",
        "  skopeo copy --all oci-archive:FILE:NAME docker://HOST/NAME",
        "Images of others named by tag only (redis:7) are listed, not exported."})
final class ExportImagesCommand implements Callable<Integer> {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Mixin
  StageOptions stageOptions;

  @Option(names = "--platforms", paramLabel = "LIST", description = "The platforms to keep, comma-separated"
      + " (default: GARDEN_PLATFORMS, else linux/amd64,linux/arm64).")
  String platforms;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the archive (default:"
      + " dist/kamiwaza-images-STAGE-YYYYMMDD-HHMMSS.tar in the repository).")
  Path output;

  @Override
  public Integer call() {
    Path root = repo.root();
    PrintWriter out = parent.spec.commandLine().getOut();
    Platforms chosen = platforms == null ? parent.config().pushPlatforms() : Platforms.parse(platforms, "--platforms");
    return RegistryCommands.withOperations(parent, root, out, ops -> {
      BuiltRegistry built = ops.build(stageOptions.stage(), stageOptions.format());
      if (!built.ok()) {
        built.problems().forEach(f -> out.println("   - " + f.extension() + ": " + f.text()));
        return ExitCodes.FINDINGS;
      }
      List<ImageRef> named = named(built);
      List<ImageRef> images = named.stream().filter(i -> i.digest() != null || i.isOwn()).toList();
      // An image of someone else's the compose file names by tag only (redis:7): nothing says which bytes were
      // tested, and its registry is not ours to read. Said, so the install brings it another way.
      named.stream().filter(i -> i.digest() == null && !i.isOwn()).map(ImageRef::toString).distinct()
          .forEach(i -> out.println("⏭️  " + i + ": not pinned by a digest in the compose file, not exported"));
      if (images.isEmpty()) {
        out.println("no images to export: the " + stageOptions.stage().id() + " registry names none");
        return ExitCodes.OK;
      }
      Path target = output != null ? output : root.resolve("dist").resolve("kamiwaza-images-"
          + stageOptions.stage().id() + "-" + STAMP.format(java.time.Instant.now()) + ".tar");
      ImageExport.Exported exported = ImageExport.export(images, chosen, target, ImageRegistryApi.shared(),
          out::println);
      out.println("✅ " + exported.images().size() + " image(s) for " + chosen.wire() + " in " + exported.file()
          + " (" + exported.bytes() / 1024 + " KiB)");
      return ExitCodes.OK;
    });
  }

  private static List<ImageRef> named(BuiltRegistry built) {
    List<ImageRef> images = new ArrayList<>();
    Stream.concat(built.apps().stream(), built.tools().stream()).map(IndexEntry::tree)
        .forEach(entry -> entry.path("docker_images").forEach(image -> images.add(ImageRef.parse(image.asText()))));
    return images;
  }
}
