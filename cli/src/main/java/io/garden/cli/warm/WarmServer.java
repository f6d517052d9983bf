package io.garden.cli.warm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm server: one JVM per user and version that stays up between short commands, so they skip the JVM's start
 * and warm-up (the pattern of the Gradle daemon, mvnd, Bazel's server). The launcher starts it in the background on
 * first use (that command runs cold, as before) and uses it from the next command on; it stops after
 * {@code GARDEN_DAEMON_IDLE_MINUTES} without work, when its jar changes (a new build), or when another server took
 * its state file.
 *
 * <p>It listens on loopback only. Where Linux tells who owns the caller's socket, another user's connection is closed
 * before a byte of it is read; every connection must then present the token from the owner-only state file
 * (compared in constant time), and the server proves itself with the proof from that file before the launcher sends
 * anything else; what comes before a command runs is bounded in time and bytes as a whole. See {@link WarmProtocol}
 * for the conversation and {@link WarmCommand} for one command's life.
 *
 * <p>Usage: {@code WarmServer STATE_FILE [TRAINING_REPOSITORY]}; the log goes to stdout (the launcher sends it to
 * {@code STATE_FILE.log}). With a training repository it warms itself up once started (see {@link #warmUp}).
 */
public final class WarmServer {

  /** Connections handled at once: a few terminals, not a crowd; more wait in the accept queue. */
  private static final int MAX_CONNECTIONS = 64;
  /** Everything a connection sends before its command runs must arrive within this, as a whole. */
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  /** How long, and how much, a refused caller may go on sending before its connection is closed. */
  private static final Duration REFUSED_DRAIN = Duration.ofSeconds(1);
  private static final long MAX_REFUSED_DRAIN_BYTES = 4L << 20;
  /** Rounds of every short command at start: enough for the optimising compiler to take the hot paths. */
  private static final int WARM_UP_ROUNDS = 20;
  /** Then a repository of this many copies of each example, a few rounds: the paths that grow with repositories. */
  private static final int WARM_UP_COPIES = 100;
  private static final int WARM_UP_SCALE_ROUNDS = 3;
  /** What the log says when the warm-up is over, or that there is none (for garden bench startup). */
  static final String WARMED_UP = "warmed up in ";
  static final String NO_WARM_UP = "no warm-up";

  private final Path stateFile;
  private final Duration idleLimit;
  private final Map<String, String> serverEnv;
  private final byte[] token;
  private final byte[] proof;
  private final OptionalInt ownUid = PeerUid.self();
  private final WarmSessions sessions = new WarmSessions();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private final AtomicInteger finishedSinceGc = new AtomicInteger();
  private final ExecutorService connections = Executors.newCachedThreadPool(daemonThreads("garden-warm-connection"));
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

  private WarmServer(Path stateFile, Duration idleLimit, Map<String, String> serverEnv, byte[] token, byte[] proof) {
    this.stateFile = stateFile;
    this.idleLimit = idleLimit;
    this.serverEnv = serverEnv;
    this.token = token;
    this.proof = proof;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: WarmServer STATE_FILE [TRAINING_REPOSITORY]");
      System.exit(2);
    }
    io.garden.cli.Main.useEveryCore();
    Path stateFile = Path.of(args[0]).toAbsolutePath();
    WarmState.privateFolder(stateFile.getParent());
    // One server per state file: a second launcher that raced us to start one finds the lock taken and leaves.
    try (FileChannel lockFile = FileChannel.open(stateFile.resolveSibling(stateFile.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        WarmLog.line("another server holds " + stateFile + ": leaving it the work");
        return;
      }
      SecureRandom random = new SecureRandom();
      byte[] token = new byte[32];
      byte[] proof = new byte[32];
      random.nextBytes(token);
      random.nextBytes(proof);
      Path training = args.length == 2 ? Path.of(args[1]) : null;
      new WarmServer(stateFile, idleLimit(System.getenv()), System.getenv(), token, proof).serve(training);
    }
    System.exit(0);
  }

  private void serve(Path training) throws IOException {
    Path jar = ownJar();
    long jarStamp = stamp(jar);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      WarmState state = new WarmState(server.getLocalPort(), HexFormat.of().formatHex(token),
          ProcessHandle.current().pid(), HexFormat.of().formatHex(proof));
      state.writeTo(stateFile);
      // Stopped (kill, logout): the next launcher finds no state and starts a new server instead of a dead port.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> state.deleteIfOurs(stateFile), "garden-warm-stop"));
      WarmLog.line("serving on 127.0.0.1:" + state.port() + " (pid " + state.pid() + ", stops after "
          + idleLimit.toMinutes() + " idle minutes)");
      warmUp(training);
      var watch = Executors.newSingleThreadScheduledExecutor(daemonThreads("garden-warm-watch"));
      watch.scheduleWithFixedDelay(() -> {
        String why = reasonToStop(state, jar, jarStamp);
        if (why != null) {
          WarmLog.line(why + ": stopping");
          state.deleteIfOurs(stateFile);
          closeQuietly(server);
        } else {
          shrinkWhenQuiet();
        }
      }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      acceptUntilClosed(server);
      watch.shutdownNow();
    }
  }

  /**
   * Runs every short command a few times on a copy of the training repository, in the background, right after the
   * start (the first command, run cold, has just ended): the optimising compiler then has the hot paths compiled
   * before a user's first big command, which would otherwise run slower here than cold (measured: sync-compose of
   * 10,000 extensions 2.5 s on a fresh server, 1.5 s cold).
   */
  private static void warmUp(Path training) {
    if (training == null || !Files.isDirectory(training)) {
      WarmLog.line(NO_WARM_UP + " (no training repository)");
      return;
    }
    Thread thread = new Thread(() -> {
      long start = System.nanoTime();
      try {
        io.garden.cli.CdsTraining.train(training, WARM_UP_ROUNDS);
        io.garden.cli.CdsTraining.trainAtScale(training, WARM_UP_COPIES, WARM_UP_SCALE_ROUNDS);
        WarmLog.line(WARMED_UP + (System.nanoTime() - start) / 1_000_000 + " ms");
      } catch (IOException | RuntimeException e) {
        WarmLog.line(NO_WARM_UP + ": " + e.getMessage());
      }
    }, "garden-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private void acceptUntilClosed(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        slots.acquireUninterruptibly();
        Socket socket = server.accept();
        connections.execute(() -> {
          try {
            handle(socket);
          } finally {
            slots.release();
          }
        });
      } catch (IOException e) {
        slots.release();
        if (!server.isClosed()) {
          WarmLog.line("accept failed: " + e.getMessage());
        }
      }
    }
  }

  /** One connection: another user's is closed unread; then the token, then what kind it is. */
  private void handle(Socket socket) {
    lastActivity.set(System.nanoTime());
    try {
      OptionalInt peer = ownUid.isPresent() ? PeerUid.of(socket) : OptionalInt.empty();
      if (peer.isPresent() && peer.getAsInt() != ownUid.getAsInt()) {
        WarmLog.line("closed a connection of another user (uid " + peer.getAsInt() + ") unread");
        closeQuietly(socket);
        return;
      }
      HeaderStream in = new HeaderStream(socket, HEADER_TIMEOUT, WarmProtocol.MAX_REQUEST_BYTES);
      String kind = WarmProtocol.read(in);
      if (!tokenMatches(WarmProtocol.read(in))) {
        WarmLog.line("refused a connection without this user's token (from port " + socket.getPort() + ")");
        refuse(socket);
        return;
      }
      switch (kind) {
        case WarmProtocol.OUT, WarmProtocol.ERR -> {
          String sid = WarmProtocol.sid(WarmProtocol.read(in));
          in.done();
          sessions.attach(sid, kind.equals(WarmProtocol.OUT), socket);
        }
        case WarmProtocol.RUN -> {
          String sid = WarmProtocol.sid(WarmProtocol.read(in));
          // The caller showed the token; the server shows it is the one the state file names before it is told more.
          WarmProtocol.answer(socket, WarmProtocol.PROOF + " " + HexFormat.of().formatHex(proof));
          run(socket, sid, in);
        }
        default -> refuse(socket);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
    }
  }

  private void run(Socket control, String sid, HeaderStream in) throws IOException {
    WarmProtocol.Request request;
    try {
      request = WarmProtocol.readRequest(sid, in);
      in.done();
    } catch (IOException e) {
      // Beyond a limit, or cut short: the launcher runs it cold, and its output connections end now, not later.
      WarmSessions.Outputs outputs = sessions.take(sid);
      closeQuietly(outputs.out());
      closeQuietly(outputs.err());
      WarmLog.command("cold: the request was not readable (" + e.getMessage() + ")");
      WarmProtocol.answer(control, "cold the request was not readable");
      closeQuietly(control);
      return;
    }
    running.incrementAndGet();
    try {
      new WarmCommand(request, control, sessions, serverEnv).run();
    } finally {
      running.decrementAndGet();
      finishedSinceGc.incrementAndGet();
      lastActivity.set(System.nanoTime());
    }
  }

  private boolean tokenMatches(String given) {
    // Constant time: how long the comparison takes says nothing about how much of a guess was right.
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII),
        HexFormat.of().formatHex(token).getBytes(StandardCharsets.US_ASCII));
  }

  private String reasonToStop(WarmState state, Path jar, long jarStamp) {
    if (running.get() > 0) {
      return null;
    }
    if (!state.isIn(stateFile)) {
      return "the state file no longer names this server";
    }
    if (jar != null && stamp(jar) != jarStamp) {
      return "garden was rebuilt or reinstalled (" + jar + " changed)";
    }
    if (System.nanoTime() - lastActivity.get() > idleLimit.toNanos()) {
      return "idle for " + idleLimit.toMinutes() + " minutes";
    }
    return null;
  }

  /** After work, give the heap back: an idle server should cost its user little memory. */
  private void shrinkWhenQuiet() {
    if (running.get() == 0 && finishedSinceGc.getAndSet(0) > 0) {
      System.gc();
    }
  }

  static Duration idleLimit(Map<String, String> env) {
    String minutes = env.getOrDefault("GARDEN_DAEMON_IDLE_MINUTES", "").trim();
    try {
      return Duration.ofMinutes(minutes.isEmpty() ? 60 : Math.max(1, Long.parseLong(minutes)));
    } catch (NumberFormatException e) {
      WarmLog.line("GARDEN_DAEMON_IDLE_MINUTES is not a number of minutes (" + minutes + "): using 60");
      return Duration.ofMinutes(60);
    }
  }

  private static Path ownJar() {
    try {
      Path location = Path.of(WarmServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) ? location : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static long stamp(Path jar) {
    try {
      return jar == null ? 0 : Files.getLastModifiedTime(jar).toMillis() ^ Files.size(jar);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Answers "refused" and lets the caller finish sending before closing: a socket closed with unread bytes is reset,
   * and the reset can overtake the answer, so the caller would see a dropped connection instead of a refusal. What
   * it sends is read and thrown away, bounded in bytes and time.
   */
  private static void refuse(Socket socket) {
    try {
      WarmProtocol.answer(socket, "refused");
      socket.shutdownOutput();
      socket.setSoTimeout((int) REFUSED_DRAIN.toMillis());
      InputStream in = socket.getInputStream();
      byte[] discard = new byte[8192];
      long drained = 0;
      for (int n = in.read(discard); n >= 0 && drained < MAX_REFUSED_DRAIN_BYTES; n = in.read(discard)) {
        drained += n;
      }
    } catch (IOException ignored) {
      // It is going away either way.
    }
    closeQuietly(socket);
  }

  static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Nothing left to tell anyone.
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
