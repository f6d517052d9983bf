package io.garden.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.ImageNaming;
import io.garden.common.model.ImageRef;
import io.garden.extension.compose.ComposeSync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which images an extension builds (SPEC §8): every sub-folder with a Dockerfile is a service named after the
 * folder; otherwise a root Dockerfile is service {@code web}. Names follow {@link ImageNaming}, the one rule build
 * and push share. Folders that only local-only (compose {@code profiles:}) services build are skipped.
 */
public final class ServiceDiscovery {

  private ServiceDiscovery() {
  }

  /**
   * @throws IllegalArgumentException when there is no Dockerfile to build
   */
  public static List<BuildTarget> targets(LoadedExtension e) {
    Path dir = e.ref().dir();
    Set<String> localOnly = localOnlyFolders(e);
    List<BuildTarget> targets = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        String folder = child.getFileName().toString();
        if (Files.isDirectory(child) && !folder.startsWith(".") && Files.isRegularFile(child.resolve("Dockerfile"))
            && !localOnly.contains(folder)) {
          targets.add(new BuildTarget(folder, child, child.resolve("Dockerfile"),
              ImageNaming.repository(e.ref().name(), folder)));
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot list " + dir, ex);
    }
    if (targets.isEmpty() && Files.isRegularFile(dir.resolve("Dockerfile"))) {
      targets.add(new BuildTarget("web", dir, dir.resolve("Dockerfile"), rootRepository(e)));
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(e.ref().id() + ": no Dockerfile at the extension root or in a service"
          + " sub-folder; nothing to build");
    }
    return targets;
  }

  /**
   * The platforms the compose service built from {@code target}'s folder declares ({@code build.platforms}), or
   * null when it declares none: an extension that supports only some platforms says so there.
   */
  public static List<String> platforms(LoadedExtension e, BuildTarget target) {
    String wanted = target.context().equals(e.ref().dir()) ? "" : target.service();
    return e.compose().map(compose -> compose.get("services") instanceof Map<?, ?> services ? services : Map.of())
        .flatMap(services -> services.values().stream()
            .filter(body -> body instanceof Map<?, ?> service && service.get("build") instanceof Map<?, ?> build
                && ImageNaming.contextFolder(String.valueOf(build.get("context") == null ? "."
                : build.get("context"))).equals(wanted)
                && build.get("platforms") instanceof List<?>)
            .map(body -> (List<?>) ((Map<?, ?>) ((Map<?, ?>) body).get("build")).get("platforms"))
            .map(list -> list.stream().map(String::valueOf).toList())
            .findFirst())
        .orElse(null);
  }

  /** The version images are tagged with. */
  public static String version(LoadedExtension e) {
    return e.version().orElseThrow(() -> new IllegalArgumentException(e.ref().id()
        + ": kamiwaza.json has no valid 'version' (MAJOR.MINOR.PATCH); cannot tag images"));
  }

  private static String rootRepository(LoadedExtension e) {
    return e.manifest().map(m -> m.get("image")).filter(JsonNode::isTextual).map(JsonNode::asText)
        .map(ImageRef::parse).map(ImageRef::name)
        .orElse(ImageNaming.repository(e.ref().name(), ""));
  }

  private static Set<String> localOnlyFolders(LoadedExtension e) {
    Set<String> folders = new java.util.TreeSet<>();
    e.compose().ifPresent(compose -> {
      Set<String> local = ComposeSync.localOnlyServices(compose);
      if (compose.get("services") instanceof Map<?, ?> services) {
        services.forEach((name, body) -> {
          if (local.contains(String.valueOf(name)) && body instanceof Map<?, ?> service
              && service.get("build") != null) {
            Object build = service.get("build");
            String context = build instanceof Map<?, ?> m ? String.valueOf(m.get("context")) : String.valueOf(build);
            String folder = ImageNaming.contextFolder(context);
            if (!folder.isEmpty()) {
              folders.add(folder);
            }
          }
        });
      }
    });
    return folders;
  }
}
