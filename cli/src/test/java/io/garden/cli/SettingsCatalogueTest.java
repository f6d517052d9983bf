package io.garden.cli;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.KnownSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The list services check their environment against must hold every variable the code reads. */
class SettingsCatalogueTest {

  private static final Pattern VARIABLE = Pattern.compile("\"(GARDEN_[A-Z0-9_]*[A-Z0-9]|KAFKA_BOOTSTRAP_SERVERS"
      + "|DOCKER_HOST)\"");

  @Test
  @DisplayName("every GARDEN_ variable named in the main sources is in KnownSettings")
  void everyVariableIsKnown() throws IOException {
    Set<String> unknown = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ExamplesRepo.root())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> f.toString().contains("/src/main/java/")).toList()) {
        Matcher m = VARIABLE.matcher(Files.readString(file));
        while (m.find()) {
          String name = m.group(1);
          seen.add(name);
          // GARDEN_PUBLISHERS_ + stage, and the like: a prefix completed with a stage.
          String probe = name.endsWith("_") ? name + "PROD" : name;
          if (KnownSettings.find(probe).isEmpty()) {
            unknown.add(name + " (" + ExamplesRepo.root().relativize(file) + ")");
          }
        }
      }
    }
    assertThat(seen).as("variables found in the sources").hasSizeGreaterThan(30);
    assertThat(unknown).isEmpty();
  }
}
