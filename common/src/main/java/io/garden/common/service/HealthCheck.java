package io.garden.common.service;

import io.garden.common.config.NumberSetting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The images' health check command: exit 0 when this container's service answers {@code GET /health} with 200, else
 * 1. The images have no shell or curl (nothing to attack, nothing to patch), so the check is a class of our own, with
 * a raw socket: it runs every few seconds and should start and finish in a blink.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MS = 3000;

  private HealthCheck() {
  }

  public static final int DEFAULT_PORT = 8081;

  public static void main(String[] args) {
    System.exit(healthy(port(System.getenv())) ? 0 : 1);
  }

  /** {@code GARDEN_HEALTH_PORT}: where a service serves /health, and so where this asks. */
  public static int port(Map<String, String> env) {
    return (int) NumberSetting.read(env, "GARDEN_HEALTH_PORT", DEFAULT_PORT, 0, 65535,
        "a port number (0 picks a free one)");
  }

  static boolean healthy(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] status = in.readNBytes("HTTP/1.1 200".length());
      return new String(status, StandardCharsets.US_ASCII).endsWith(" 200");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
