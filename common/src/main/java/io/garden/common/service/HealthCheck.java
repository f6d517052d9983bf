package io.garden.common.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The images' health check command: exit 0 when this container's service answers {@code GET /health} with 200, else
 * 1. The images have no shell or curl (nothing to attack, nothing to patch), so the check is a class of our own, with
 * a raw socket: it runs every few seconds and should start and finish in a blink.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MS = 3000;

  private HealthCheck() {
  }

  public static void main(String[] args) {
    String configured = System.getenv("GARDEN_HEALTH_PORT");
    int port = configured == null || configured.isBlank() ? ServiceMain.DEFAULT_HEALTH_PORT
        : Integer.parseInt(configured.trim());
    System.exit(healthy(port) ? 0 : 1);
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
