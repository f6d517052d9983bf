package io.garden.extension.model;

import io.garden.common.model.DocumentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one rule for what of a repository may be read: a file is read or copied only if its real path (every symbolic
 * link followed) stays inside its extension's real folder. A repository is hostile input: a {@code preview.png}
 * that links to {@code /etc/passwd}, or a {@code kamiwaza.json} that links to another repository's, must not be
 * validated, published, copied into a registry or sent to an image build. Every reader of extension files asks here.
 */
public final class ExtensionFiles {

  /** The finding's rule when a file leads outside its extension. */
  public static final String RULE = "extension.path-escape";

  private ExtensionFiles() {
  }

  /**
   * @return {@code file} itself when it stays inside {@code extensionDir}, or does not exist (the reader then says
   *         it is missing)
   * @throws PathEscapeException when it, or a link on its way, leads outside
   */
  public static Path contained(Path extensionDir, Path file) {
    Path lexical = file.toAbsolutePath().normalize();
    Path dir = extensionDir.toAbsolutePath().normalize();
    if (!lexical.startsWith(dir)) {
      throw new PathEscapeException(file, relative(dir, lexical) + " is outside the extension folder");
    }
    java.nio.file.attribute.BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(lexical, java.nio.file.attribute.BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException missing) {
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!attributes.isSymbolicLink() && dir.equals(lexical.getParent())) {
      // A plain file right in the extension folder: nothing on its way can lead elsewhere. (Most reads are these;
      // resolving the real path costs a look-up per path component.)
      return file;
    }
    Path real;
    try {
      real = lexical.toRealPath();
    } catch (NoSuchFileException e) {
      throw new PathEscapeException(file, relative(dir, lexical) + " is a symbolic link to nothing");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + file + ": " + e.getMessage(), e);
    }
    if (!real.startsWith(realDir(dir))) {
      throw new PathEscapeException(file, relative(dir, lexical)
          + " is a symbolic link leading outside the extension folder; only files inside it are read");
    }
    return file;
  }

  /**
   * Checks a whole folder that is handed on as it is (an image build context): every entry in it stays inside the
   * extension once links are followed.
   */
  public static void requireContainedTree(Path extensionDir, Path folder) {
    contained(extensionDir, folder);
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isSymbolicLink()) {
            contained(extensionDir, file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static Path realDir(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir;
    }
  }

  private static String relative(Path dir, Path file) {
    return file.startsWith(dir) ? dir.relativize(file).toString() : file.toString();
  }

  /** A file that leads outside its extension: a finding with {@link #RULE}, naming the file. */
  public static final class PathEscapeException extends DocumentException {
    private static final long serialVersionUID = 1L;

    PathEscapeException(Path file, String problem) {
      super(file, 0, problem);
    }
  }
}
