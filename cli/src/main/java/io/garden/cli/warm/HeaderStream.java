package io.garden.cli.warm;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * What a connection sends before its command runs, bounded as a whole: all of it within one deadline (a caller
 * that drips one byte every few seconds is cut off at the deadline, not kept for ever by a per-read timeout) and
 * within one byte budget (every field is bounded, and so is their sum).
 */
final class HeaderStream extends InputStream {

  private final Socket socket;
  private final InputStream in;
  private final long deadline;
  private final long maxBytes;
  private long read;

  HeaderStream(Socket socket, Duration within, long maxBytes) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.deadline = System.nanoTime() + within.toNanos();
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("the request did not arrive whole in time");
    }
    if (read >= maxBytes) {
      throw new IOException("a request larger than " + maxBytes + " bytes");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    int b = in.read();
    if (b >= 0) {
      read++;
    }
    return b;
  }

  /** The header is read: what follows (the command's life) has no deadline of this kind. */
  void done() throws IOException {
    socket.setSoTimeout(0);
  }
}
