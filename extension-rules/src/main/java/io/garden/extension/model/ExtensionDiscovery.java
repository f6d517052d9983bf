package io.garden.extension.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds extensions in a repository: every folder under {@code apps/}, {@code services/}, {@code tools/}. A missing
 * type folder is simply empty (the old {@code --all} crashed). Names and paths are untrusted: anything that would
 * lead outside the repository is reported, not followed.
 */
public final class ExtensionDiscovery {

  private final Path root;
  private final Path realRoot;

  public ExtensionDiscovery(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      this.realRoot = this.root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("repository folder not found: " + this.root, e);
    }
  }

  public Path root() {
    return root;
  }

  /** What a scan found: the usable extensions, and the folders that were refused (with why). */
  public record Scan(List<ExtensionRef> extensions, List<InvalidExtensionException> rejected) {
  }

  /** Every extension of every type, sorted by type then name. */
  public Scan all() {
    List<ExtensionRef> found = new ArrayList<>();
    List<InvalidExtensionException> rejected = new ArrayList<>();
    for (ExtensionType type : ExtensionType.values()) {
      Path folder = root.resolve(type.folder());
      if (!Files.isDirectory(folder)) {
        continue;
      }
      boolean folderIsLink = Files.isSymbolicLink(folder);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
        for (Path entry : entries) {
          // One lstat per entry: plain folders inside a plain type folder cannot lead outside the repository.
          BasicFileAttributes attributes =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          String name = entry.getFileName().toString();
          try {
            if (attributes.isDirectory() && !folderIsLink && ExtensionRef.NAME.matcher(name).matches()) {
              found.add(new ExtensionRef(type, name, entry));
            } else if (attributes.isDirectory() || attributes.isSymbolicLink() && Files.isDirectory(entry)) {
              found.add(resolve(type, name));
            }
          } catch (InvalidExtensionException e) {
            rejected.add(e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + folder, e);
      }
    }
    found.sort(null);
    rejected.sort(java.util.Comparator.comparing(InvalidExtensionException::id));
    return new Scan(List.copyOf(found), List.copyOf(rejected));
  }

  /** Resolves {@code TYPE NAME} from a command line or request. */
  public ExtensionRef resolve(ExtensionType type, String name) {
    String id = type.folder() + "/" + name;
    if (name == null || !ExtensionRef.NAME.matcher(name).matches()) {
      throw new InvalidExtensionException(id, "Invalid extension name '" + name + "': use letters, digits, '.', '_'"
          + " and '-' only, starting with a letter or digit (names may not contain '/' or '..').");
    }
    Path dir = root.resolve(type.folder()).resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new InvalidExtensionException(id, "Extension not found: " + id + " (no folder " + dir + ")");
    }
    try {
      // Only a symlink (of the extension or its type folder) can lead elsewhere; realpath is costly on 10k folders.
      boolean linked = Files.isSymbolicLink(dir) || Files.isSymbolicLink(dir.getParent());
      if (linked && !dir.toRealPath().startsWith(realRoot)) {
        throw new InvalidExtensionException(id, "Extension " + id + " points outside the repository ("
            + dir.toRealPath() + "); symlinks out of the repository are not followed.");
      }
    } catch (IOException e) {
      throw new InvalidExtensionException(id, "Cannot read extension folder " + dir + ": " + e.getMessage());
    }
    return new ExtensionRef(type, name, dir);
  }

  /** Resolves an id like {@code apps/team-notes} (as webhooks and requests carry them). */
  public ExtensionRef resolveId(String id) {
    if (id == null) {
      throw new InvalidExtensionException("(none)", "Extension id is missing");
    }
    int slash = id.indexOf('/');
    var type = slash < 0 ? java.util.Optional.<ExtensionType>empty() : ExtensionType.fromName(id.substring(0, slash));
    if (type.isEmpty()) {
      throw new InvalidExtensionException(id, "Invalid extension id '" + id + "': expected apps/NAME, services/NAME"
          + " or tools/NAME");
    }
    return resolve(type.get(), id.substring(slash + 1));
  }
}
