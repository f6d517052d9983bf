package io.garden.common.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files so that a crash leaves the old content or the new, never half of it. */
public final class AtomicFiles {

  private AtomicFiles() {
  }

  public static void write(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] bytes) {
    write(target, bytes, false);
  }

  /**
   * The same, readable and writable by the owner only (0600) from the first byte on, for files that hold what
   * others must not read (credential hashes). Where the file system has no POSIX permissions, as write.
   */
  public static void writeOwnerOnly(Path target, byte[] bytes) {
    write(target, bytes, true);
  }

  private static void write(Path target, byte[] bytes, boolean ownerOnly) {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      // Same folder as the target, so the rename cannot cross file systems; unique per process and thread.
      temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
          + Thread.currentThread().getId() + ".tmp");
      try {
        writeTemp(temp, bytes, ownerOnly);
      } catch (NoSuchFileException noFolder) {
        // Usually the folder is there (sync writes beside the file it read): make it only when it is not.
        Files.createDirectories(dir);
        writeTemp(temp, bytes, ownerOnly);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort: the write already failed and says so.
        }
      }
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static void writeTemp(Path temp, byte[] bytes, boolean ownerOnly) throws IOException {
    if (!ownerOnly) {
      Files.write(temp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      return;
    }
    // A leftover temporary file would keep its own permissions: start from none.
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(temp);
    }
    Files.write(temp, bytes, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }
}
