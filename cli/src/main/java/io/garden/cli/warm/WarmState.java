package io.garden.cli.warm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a running server is found: one line, {@code PORT TOKEN PID PROOF}, in a file only its user can read, in a
 * folder only its user can enter. The token is what makes the loopback port one user's: whoever cannot read this
 * file cannot run anything. The proof is what makes the server the user's: it answers a caller's token with it, and
 * the launcher sends nothing more (no folder, no arguments, no environment) to a server that cannot. The launcher
 * reads the file with the shell's {@code read}, without starting a process.
 */
record WarmState(int port, String token, long pid, String proof) {

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  String line() {
    return port + " " + token + " " + pid + " " + proof + "\n";
  }

  /** Written whole or not at all (a launcher never reads half a line), readable by its owner only. */
  void writeTo(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + "." + pid + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, line(), StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** True when {@code file} still names this server (a newer one may have taken its place). */
  boolean isIn(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).equals(line());
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the file if it still names this server; a newer server's is left alone. */
  void deleteIfOurs(Path file) {
    if (isIn(file)) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // A launcher that finds it will see the port closed and start a new server.
      }
    }
  }

  /**
   * The folder for state files: made owner-only if new, and refused if it is not (anyone who can enter it could
   * read a token or put a server of their own in our place).
   */
  static Path privateFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    }
    Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR);
    String owner = Files.getOwner(folder).getName();
    if (!owner.equals(System.getProperty("user.name"))) {
      throw new IOException(folder + " belongs to " + owner + ", not to " + System.getProperty("user.name"));
    }
    return folder;
  }
}
