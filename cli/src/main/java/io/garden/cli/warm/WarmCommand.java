package io.garden.cli.warm;

import io.garden.cli.ExitCodes;
import io.garden.cli.Invocation;
import io.garden.cli.Main;
import io.garden.common.config.OldToolchainSettings;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One command in the warm server, in order: join its output connections, decide warm or cold, run it on its own
 * thread with the caller's folder and environment while the control connection is watched for the launcher's
 * Ctrl+C, then close the outputs and answer the exit code. A cancelled command is interrupted and its next write
 * ends it; the server goes on.
 */
final class WarmCommand {

  /** How long a cancelled command may take to notice before the server stops waiting for it. */
  private static final long STOP_WAIT_MILLIS = 60_000;
  private static final AtomicInteger NUMBER = new AtomicInteger();

  private final WarmProtocol.Request request;
  private final Socket control;
  private final WarmSessions sessions;
  private final Map<String, String> serverEnv;
  private final AtomicBoolean settled = new AtomicBoolean();

  WarmCommand(WarmProtocol.Request request, Socket control, WarmSessions sessions, Map<String, String> serverEnv) {
    this.request = request;
    this.control = control;
    this.sessions = sessions;
    this.serverEnv = serverEnv;
  }

  void run() throws IOException {
    WarmSessions.Outputs outputs = sessions.take(request.sid());
    try {
      Optional<Path> folder = realFolder();
      Optional<String> cold = folder.isEmpty() ? Optional.of("the working folder is gone") : coldReason(folder.get());
      if (cold.isPresent()) {
        WarmLog.command("cold: " + cold.get());
        answer("cold " + cold.get());
        return;
      }
      runWatched(new Invocation(folder.get(), request.env()), outputs);
    } finally {
      WarmServer.closeQuietly(outputs.out());
      WarmServer.closeQuietly(outputs.err());
      WarmServer.closeQuietly(control);
    }
  }

  /** The folder as the JVM of a cold run would see it (getcwd: links resolved), so both print the same paths. */
  private Optional<Path> realFolder() {
    try {
      return Optional.of(request.cwd().toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<String> coldReason(Path cwd) {
    try {
      Map<String, String> applied = OldToolchainSettings.apply(request.env(), cwd).env();
      return WarmEligibility.coldReason(request.args(), applied, serverEnv);
    } catch (RuntimeException e) {
      // A .env the command itself will refuse: the command says so, the same way warm or cold.
      return WarmEligibility.coldReason(request.args(), request.env(), serverEnv);
    }
  }

  private void runWatched(Invocation invocation, WarmSessions.Outputs outputs) throws IOException {
    Cancellable out = new Cancellable(outputs.out().getOutputStream());
    Cancellable err = new Cancellable(outputs.err().getOutputStream());
    String name = request.args().isEmpty() ? "garden" : request.args().get(0);
    int number = NUMBER.incrementAndGet();
    WarmLog.command("start #" + number + " " + name + " in " + invocation.cwd());
    long started = System.nanoTime();
    Thread worker = new Thread(() -> {
      int code = execute(invocation, out, err);
      WarmLog.command("end #" + number + " " + name + ": exit " + code + " in "
          + (System.nanoTime() - started) / 1_000_000 + " ms");
      if (settled.compareAndSet(false, true)) {
        // Outputs first: the launcher waits for them to end before it exits with the code.
        WarmServer.closeQuietly(outputs.out());
        WarmServer.closeQuietly(outputs.err());
        answer("exit " + code);
        WarmServer.closeQuietly(control);
      }
    }, "garden-command-" + number + "-" + name);
    worker.start();
    awaitCancel();
    if (settled.compareAndSet(false, true)) {
      long start = System.nanoTime();
      out.cancel();
      err.cancel();
      worker.interrupt();
      try {
        worker.join(STOP_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      WarmLog.line("cancelled " + name + " (the launcher was stopped); "
          + (worker.isAlive() ? "it is still finishing" : "it stopped after "
          + (System.nanoTime() - start) / 1_000_000 + " ms"));
    }
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns when the launcher sends anything or goes away, or when the command closed the connection. */
  private void awaitCancel() {
    try {
      control.setSoTimeout(0);
      control.getInputStream().read();
    } catch (IOException e) {
      // Closed: by the command when it finished, or by the launcher.
    }
  }

  private int execute(Invocation invocation, OutputStream out, OutputStream err) {
    try {
      return Main.execute(invocation, out, err, request.args().toArray(String[]::new));
    } catch (Cancelled e) {
      return ExitCodes.INTERRUPTED;
    } catch (RuntimeException | Error e) {
      if (!settled.get()) {
        WarmLog.line("a command failed inside the server: " + e);
        try {
          err.write(("Error: " + e + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException ignored) {
          // The launcher is gone.
        }
      }
      return ExitCodes.FINDINGS;
    }
  }

  private void answer(String line) {
    try {
      WarmProtocol.answer(control, line);
    } catch (IOException ignored) {
      // The launcher is gone; nobody to answer.
    }
  }

  /** Thrown by a write after Ctrl+C: unchecked, so it passes PrintWriter (which swallows IOException) and ends the command. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** A socket's output that refuses every write once cancelled. */
  private static final class Cancellable extends FilterOutputStream {
    private volatile boolean cancelled;

    Cancellable(OutputStream out) {
      super(out);
    }

    void cancel() {
      cancelled = true;
    }

    @Override
    public void write(int b) throws IOException {
      check();
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      check();
      out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      check();
      out.flush();
    }

    private void check() {
      if (cancelled) {
        throw new Cancelled();
      }
    }
  }
}
