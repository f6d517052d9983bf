package io.garden.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a started node running until Ctrl+C (or SIGTERM), then closes it before the JVM halts. */
final class Foreground {

  private Foreground() {
  }

  /** Blocks until the process is asked to stop; the node is closed when this returns. */
  static int serve(GardenNode node, PrintWriter out) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      // The JVM halts when hooks return: wait (bounded) until the node has closed, so nothing is cut off.
      stopped.countDown();
      try {
        closed.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "garden-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
      out.println("Stopping...");
      out.flush();
    } finally {
      // Interrupted (an in-process caller stopping it) or asked to stop: either way the node closes here.
      node.close();
      closed.countDown();
      if (stopped.getCount() > 0) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    out.println("Stopped.");
    out.flush();
    return ExitCodes.OK;
  }
}
