package io.garden.cli.warm;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the launcher and the warm server say to each other: fields ended by a NUL byte, because a shell can write
 * those ({@code printf '%s\0'}) and no argument, path or environment entry can contain one. Three connections per
 * command, so that a shell needs no framing to keep stdout and stderr apart:
 * <pre>
 *   control: run2 TOKEN SID          → "proof PROOF" (or "refused"); the launcher checks the proof, and only then
 *            CWD ARGC ARG... NAME=VALUE... ""   → one line back: "exit N", "cold WHY" or "refused"
 *   stdout:  out2 TOKEN SID          → the command's stdout, then end of stream
 *   stderr:  err2 TOKEN SID          → the command's stderr, then end of stream
 * </pre>
 * The launcher opens the output connections only once the control connection's proof was right, and sends the
 * caller's folder, arguments and environment last: a program that took a dead server's port gets a token that no
 * longer opens anything, and nothing else.
 * Anything the launcher sends on the control connection while the command runs, or closing it, cancels the command
 * (the launcher's Ctrl+C). Every size is bounded: a request is read before it is trusted.
 */
final class WarmProtocol {

  static final String RUN = "run2";
  static final String OUT = "out2";
  static final String ERR = "err2";
  static final String PROOF = "proof";
  static final int MAX_FIELD_BYTES = 256 * 1024;
  static final int MAX_ARGS = 4096;
  static final int MAX_ENV = 4096;
  /** Everything before a command runs, together: fields, arguments and environment. */
  static final long MAX_REQUEST_BYTES = 8L << 20;

  /** One command as the launcher asked for it. */
  record Request(String sid, Path cwd, List<String> args, Map<String, String> env) {
  }

  private WarmProtocol() {
  }

  /** One answer line on a control connection: "exit N", "cold WHY" or "refused". */
  static void answer(java.net.Socket control, String line) throws IOException {
    control.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    control.getOutputStream().flush();
  }

  /** The rest of a control connection after its kind, token and session id. */
  static Request readRequest(String sid, InputStream in) throws IOException {
    Path cwd = Path.of(read(in));
    if (!cwd.isAbsolute()) {
      throw new IOException("the working folder is not absolute");
    }
    int argc = count(read(in), MAX_ARGS);
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(read(in));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry = read(in); !entry.isEmpty(); entry = read(in)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || env.size() >= MAX_ENV) {
        throw new IOException("not an environment entry, or too many");
      }
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return new Request(sid, cwd, List.copyOf(args), env);
  }

  /** A session id joins the three connections of one command: short and plain, so it cannot be anything else. */
  static String sid(String given) throws IOException {
    if (!given.matches("[A-Za-z0-9-]{8,64}")) {
      throw new IOException("not a session id");
    }
    return given;
  }

  /** One field, up to its NUL. */
  static String read(InputStream in) throws IOException {
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    for (int b = in.read(); b != 0; b = in.read()) {
      if (b < 0) {
        throw new EOFException("the request ended early");
      }
      if (field.size() >= MAX_FIELD_BYTES) {
        throw new IOException("a field longer than " + MAX_FIELD_BYTES + " bytes");
      }
      field.write(b);
    }
    return field.toString(StandardCharsets.UTF_8);
  }

  private static int count(String text, int max) throws IOException {
    try {
      int n = Integer.parseInt(text);
      if (n < 0 || n > max) {
        throw new IOException("a count out of range: " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("not a count: " + text);
    }
  }
}
