package io.garden.cli.warm;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Who is on the other end of a loopback connection, as Linux tells it: {@code /proc/net/tcp} (and {@code tcp6}) list
 * every socket with its owner's uid. The token already keeps other users out; this is the second factor that turns
 * them away before a byte of theirs is read, so they cannot even hold a connection slot. Where the tables cannot be
 * read (another system), nothing is known and the token alone decides.
 */
final class PeerUid {

  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";

  private PeerUid() {
  }

  /** The uid owning the peer's end of {@code socket}, when this system says. */
  static OptionalInt of(Socket socket) {
    List<String> lines = new ArrayList<>();
    for (Path table : TABLES) {
      try {
        lines.addAll(Files.readAllLines(table));
      } catch (IOException | SecurityException e) {
        // Not Linux, or not readable here: this table says nothing.
      }
    }
    return find(lines, socket.getPort(), socket.getLocalPort());
  }

  /** This process's uid, when this system says. */
  static OptionalInt self() {
    try {
      return OptionalInt.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * In the rows of {@code /proc/net/tcp*}, the owner of the established socket whose own port is {@code peerPort}
   * and whose remote port is {@code serverPort} (on loopback the ports alone name the connection's client end).
   */
  static OptionalInt find(List<String> rows, int peerPort, int serverPort) {
    String local = ":" + hex(peerPort);
    String remote = ":" + hex(serverPort);
    for (String row : rows) {
      String[] fields = row.trim().split("\\s+");
      if (fields.length < 8 || !fields[3].equals(ESTABLISHED)) {
        continue;
      }
      if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
        try {
          return OptionalInt.of(Integer.parseInt(fields[7]));
        } catch (NumberFormatException e) {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.empty();
  }

  private static String hex(int port) {
    return String.format(Locale.ROOT, "%04X", port);
  }
}
