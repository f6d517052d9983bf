package io.garden.registry;

import io.garden.common.model.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The offline package's helper files, beside {@code garden/} in the built registry as the old build-registry put
 * them: {@code README.md} (how to use the package), {@code package-setup.sh} (checks it, loads image archives,
 * writes {@code kamiwaza-registry.env}), {@code serve-registry.py} (serves it read-only) and
 * {@code kamiwaza-registry.env.template}. package-registry ships them with the indexes.
 */
public final class PackageHelpers {

  /** Name → executable. */
  private record Helper(String name, boolean executable) {
  }

  static final List<String> NAMES = List.of("README.md", "package-setup.sh", "serve-registry.py",
      "kamiwaza-registry.env.template");
  private static final List<Helper> HELPERS = NAMES.stream()
      .map(n -> new Helper(n, n.endsWith(".sh") || n.endsWith(".py"))).toList();

  private PackageHelpers() {
  }

  /** Writes every helper into {@code registryRoot} ({@code build/kamiwaza-extension-registry}). */
  public static void write(Path registryRoot) {
    for (Helper helper : HELPERS) {
      Path target = registryRoot.resolve(helper.name());
      AtomicFiles.write(target, resource(helper.name()));
      // Without POSIX modes (Windows) the scripts run with bash / python3 in front, as the README says.
      if (helper.executable() && target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        try {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot make " + target + " executable: " + e.getMessage(), e);
        }
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = PackageHelpers.class.getResourceAsStream("package/" + name)) {
      if (in == null) {
        throw new IllegalStateException("this build of garden is missing its package helper " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the package helper " + name, e);
    }
  }
}
