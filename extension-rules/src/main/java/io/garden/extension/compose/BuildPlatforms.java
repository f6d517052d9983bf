package io.garden.extension.compose;

import io.garden.common.model.Finding;
import io.garden.common.platform.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code build.platforms} in the source compose file: the platforms a service supports, which narrow what a push
 * builds ({@code GARDEN_PLATFORMS}). A name garden does not know would silently drop that platform, so it is an
 * error here, at its place in the file.
 */
public final class BuildPlatforms {

  public static final String FILE = "docker-compose.yml";

  private BuildPlatforms() {
  }

  public static List<Finding> check(Map<String, Object> compose, String extension) {
    List<Finding> findings = new ArrayList<>();
    if (!(compose.get("services") instanceof Map<?, ?> services)) {
      return findings;
    }
    services.forEach((service, body) -> {
      if (body instanceof Map<?, ?> s && s.get("build") instanceof Map<?, ?> build
          && build.containsKey("platforms")) {
        if (!(build.get("platforms") instanceof List<?> platforms) || platforms.isEmpty()) {
          findings.add(Finding.error("compose.platforms", extension, FILE, "build.platforms must list platforms,"
              + " e.g. [linux/amd64]").forService(String.valueOf(service))
              .at(Finding.pointer("services", service, "build", "platforms")));
          return;
        }
        for (int i = 0; i < platforms.size(); i++) {
          try {
            Platform.parse(String.valueOf(platforms.get(i)));
          } catch (IllegalArgumentException e) {
            findings.add(Finding.error("compose.platforms", extension, FILE, e.getMessage())
                .forService(String.valueOf(service)).at(Finding.pointer("services", service, "build", "platforms",
                    i)));
          }
        }
      }
    });
    return findings;
  }
}
