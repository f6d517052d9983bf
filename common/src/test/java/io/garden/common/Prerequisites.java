package io.garden.common;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What an integration test needs from the machine (make, a browser, a container engine, an image tarball). Without
 * it the test is skipped with the reason — except under CI=true, where {@code .ci/run} installs it and a skip would
 * hide a broken set-up, so the test fails with that reason instead.
 */
public final class Prerequisites {

  private Prerequisites() {
  }

  public static boolean onCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips (or, under CI=true, fails) the test unless {@code present}. */
  public static void require(boolean present, String reason) {
    if (!present && onCi()) {
      throw new IllegalStateException("CI=true but " + reason);
    }
    Assumptions.assumeTrue(present, reason);
  }

  /** Whether {@code command} runs and exits 0 within 30 s (a tool is installed and answers). */
  public static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor(30, TimeUnit.SECONDS)) {
        return p.exitValue() == 0;
      }
      p.destroyForcibly();
      return false;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
