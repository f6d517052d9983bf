package io.garden.registry;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * package-registry: {@code dist/kamiwaza-registry-YYYYMMDD-HHMMSS.tar.gz} holding the built registry under the root
 * folder {@code kamiwaza-extension-registry/}; relative names only, never {@code ..}, written atomically.
 */
public final class RegistryPackager {

  public static final String ROOT = "kamiwaza-extension-registry";
  private static final int EXECUTABLE = 0100755;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private RegistryPackager() {
  }

  /**
   * A registry is packaged only as build-registry swaps it in: each layout folder with its apps.json and tools.json.
   * Anything else (no build, a failed build, a folder edited by hand) is refused with what to do.
   */
  static void requireComplete(Path source) {
    Path garden = source.resolve("garden");
    List<Path> layouts = new java.util.ArrayList<>();
    if (Files.isDirectory(garden)) {
      try (Stream<Path> list = Files.list(garden)) {
        list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
            .forEach(layouts::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + garden + ": " + e.getMessage(), e);
      }
    }
    if (layouts.isEmpty()) {
      throw new IllegalStateException("no built registry under " + source + " (or the last build-registry had"
          + " errors); run build-registry and fix what it reports first");
    }
    for (Path layout : layouts) {
      for (String index : List.of(BuiltRegistry.APPS, BuiltRegistry.TOOLS)) {
        if (!Files.isRegularFile(layout.resolve(index))) {
          throw new IllegalStateException("the built registry in " + layout + " is incomplete (no " + index
              + "); run build-registry again");
        }
      }
    }
  }

  public static Path pack(Path repoRoot, Clock clock) {
    Path source = repoRoot.resolve(RegistryBuilder.OUTPUT);
    requireComplete(source);
    Path target = repoRoot.resolve("dist").resolve("kamiwaza-registry-" + STAMP.format(clock.instant()) + ".tar.gz");
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".package-", ".tmp");
      try (OutputStream file = Files.newOutputStream(temp);
           GZIPOutputStream gzip = new GZIPOutputStream(file);
           TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Path path : files(source)) {
          String name = ROOT + "/" + source.relativize(path).toString().replace('\\', '/');
          if (name.contains("..")) {
            throw new IllegalStateException("refusing to package " + path);
          }
          TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), Files.isDirectory(path) ? name + "/" : name);
          entry.setModTime(clock.millis());
          if (Files.isRegularFile(path) && Files.isExecutable(path)) {
            entry.setMode(EXECUTABLE); // package-setup.sh and serve-registry.py run as they are, once unpacked
          }
          tar.putArchiveEntry(entry);
          if (Files.isRegularFile(path)) {
            Files.copy(path, tar);
          }
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> files(Path source) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      // Dot-named entries are a build in progress (or left by a crash), never part of the registry.
      return walk.filter(p -> !p.equals(source)).filter(p -> !Files.isSymbolicLink(p))
          .filter(p -> java.util.stream.StreamSupport.stream(source.relativize(p).spliterator(), false)
              .noneMatch(part -> part.toString().startsWith(".")))
          .sorted().toList();
    }
  }
}
