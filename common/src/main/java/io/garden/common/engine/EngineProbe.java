package io.garden.common.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks a Docker-compatible engine whether it answers ({@code GET /_ping}), without docker-java: the coordinator and
 * {@code garden doctor} need the answer, not a client. Understands {@code unix://} and {@code tcp://} hosts.
 */
public final class EngineProbe {

  private EngineProbe() {
  }

  /** True when the engine at {@code dockerHost} answers its ping with 200 within {@code timeout}. */
  public static boolean answers(String dockerHost, Duration timeout) {
    try {
      return status(dockerHost, timeout) == 200;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Null when an engine answers at {@code dockerHost} within two seconds, else the reason to show people. */
  public static String absence(String dockerHost) {
    return answers(dockerHost, Duration.ofSeconds(2)) ? null : "no container engine at DOCKER_HOST=" + dockerHost;
  }

  /** The HTTP status of {@code GET /_ping}, or an exception saying why there was none. */
  public static int status(String dockerHost, Duration timeout) throws IOException {
    SocketAddress address = address(dockerHost);
    try (SocketChannel channel = address instanceof UnixDomainSocketAddress
        ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
      // A plain blocking channel with a watchdog: SocketChannel has no read timeout of its own.
      Thread watchdog = new Thread(() -> closeAfter(channel, timeout), "engine-probe-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      try {
        channel.connect(address);
        channel.write(ByteBuffer.wrap(("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer head = ByteBuffer.allocate(64);
        while (head.hasRemaining() && channel.read(head) > 0) {
          if (new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).contains("\r\n")) {
            break;
          }
        }
        String line = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("not an HTTP answer from " + dockerHost);
        }
        return Integer.parseInt(parts[1].trim());
      } finally {
        watchdog.interrupt();
      }
    }
  }

  private static void closeAfter(SocketChannel channel, Duration timeout) {
    try {
      Thread.sleep(timeout.toMillis());
      channel.close();
    } catch (InterruptedException | IOException done) {
      // Interrupted: the probe finished in time.
    }
  }

  private static SocketAddress address(String dockerHost) {
    if (dockerHost == null || dockerHost.isBlank()) {
      throw new IllegalArgumentException("no DOCKER_HOST");
    }
    URI uri = URI.create(dockerHost);
    return switch (String.valueOf(uri.getScheme())) {
      case "unix" -> UnixDomainSocketAddress.of(uri.getPath());
      case "tcp", "http" -> new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
      default -> throw new IllegalArgumentException("DOCKER_HOST must be unix:// or tcp://, was " + dockerHost);
    };
  }
}
