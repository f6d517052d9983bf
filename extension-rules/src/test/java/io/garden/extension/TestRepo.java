package io.garden.extension;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small extension repositories into a temporary folder for tests. */
public final class TestRepo {

  private final Path root;

  public TestRepo(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public TestRepo file(String relative, String text) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String read(String relative) {
    try {
      return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ExtensionDiscovery discovery() {
    return new ExtensionDiscovery(root);
  }

  public ExtensionRef ref(ExtensionType type, String name) {
    return discovery().resolve(type, name);
  }

  /** A valid kamiwaza.json for the type and name, with extra JSON members spliced in. */
  public static String manifest(ExtensionType type, String name, String version, String extra) {
    return """
        {
          "name": "%s",
          "version": "%s",
          "source_type": "kamiwaza",
          "visibility": "public",
          "description": "Test extension",
          "risk_tier": 1,
          "verified": false,
          "kamiwaza_version": ">=0.8.0"%s
        }
        """.formatted(name, version, extra.isEmpty() ? "" : ",\n  " + extra);
  }

  /** A valid app with one service built from ./web, synced so it validates cleanly. */
  public TestRepo validApp(String name) {
    file("apps/" + name + "/kamiwaza.json", manifest(ExtensionType.APP, name, "1.0.0", ""));
    file("apps/" + name + "/docker-compose.yml", """
        services:
          web:
            build: ./web
            ports: ["8080:8080"]
            volumes:
              - %s_data:/data
        volumes:
          %s_data:
        """.formatted(name.replace('-', '_'), name.replace('-', '_')));
    ComposeSyncer.sync(LoadedExtension.load(ref(ExtensionType.APP, name)), false);
    return this;
  }
}
