package io.garden.cli.remote;

import io.garden.common.event.EventPayload;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepStarted;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a followed pipeline's progress goes. Plain: one line per event (logs, pipes, CI). On a terminal, the same
 * lines plus a status line kept at the bottom — what is running and for how long — redrawn in place.
 */
public class ProgressDisplay implements AutoCloseable {

  protected final PrintWriter out;

  protected ProgressDisplay(PrintWriter out) {
    this.out = out;
  }

  /** A live display when {@code terminal} (stdout is a console and TERM is not dumb), plain lines otherwise. */
  public static ProgressDisplay of(PrintWriter out, boolean terminal) {
    return terminal ? new Live(out) : new ProgressDisplay(out);
  }

  /** True when this process writes to an interactive terminal that understands cursor movement. */
  public static boolean isTerminal(java.util.Map<String, String> env) {
    return System.console() != null && !"dumb".equals(env.get("TERM")) && !"true".equals(env.get("CI"));
  }

  public synchronized void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Every event of the pipeline, whether it makes a line or not (the live display tracks running steps). */
  public void event(EventPayload payload) {
  }

  @Override
  public void close() {
  }

  /** The terminal display: lines scroll above one status line. */
  static final class Live extends ProgressDisplay {
    private static final String CLEAR = "\r\033[K";

    private final Set<String> running = new LinkedHashSet<>();
    private boolean closed;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "garden-progress");
      t.setDaemon(true);
      return t;
    });

    Live(PrintWriter out) {
      super(out);
      ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void line(String text) {
      out.print(CLEAR);
      out.println(text);
      if (!closed) {
        drawStatus();
      }
      out.flush();
    }

    @Override
    public synchronized void event(EventPayload payload) {
      if (payload instanceof StepStarted s) {
        running.add(label(s.step().wire(), s.target()));
      } else if (payload instanceof StepFinished f) {
        running.remove(label(f.step().wire(), f.target()));
      } else if (payload instanceof StepFailed f) {
        running.remove(label(f.step().wire(), f.target()));
      }
    }

    private synchronized void redraw() {
      if (!closed) {
        out.print(CLEAR);
        drawStatus();
      }
    }

    private void drawStatus() {
      String what = running.isEmpty() ? "waiting" : String.join(", ", running);
      if (what.length() > 60) {
        what = what.substring(0, 57) + "...";
      }
      out.printf(Locale.ROOT, "⏳ %s · %.1f s", what, (System.nanoTime() - started) / 1e9);
      out.flush();
    }

    private static String label(String step, String target) {
      return target == null || target.equals("*") ? step : step + " " + target;
    }

    @Override
    public synchronized void close() {
      closed = true;
      ticker.shutdownNow();
      out.print(CLEAR);
      out.flush();
    }
  }
}
