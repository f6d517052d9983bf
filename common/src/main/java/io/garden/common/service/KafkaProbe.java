package io.garden.common.service;

import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Whether Kafka answers, known before anyone asks: a check runs four times a second on a worker thread, one at a
 * time, and readiness answers from its last result at once. Asking Kafka inside the request made {@code /ready}
 * hang for as long as the broker was away; now it says 503 within a second of the broker going, with the reason: a
 * check must answer within {@link #ANSWER} (a broker that is there answers in milliseconds), and none answering for
 * {@link #STALE} says Kafka is away whatever it said last.
 */
public final class KafkaProbe implements AutoCloseable {

  /** A check that has not completed for this long means Kafka is not answering, whatever it said last. */
  static final Duration STALE = Duration.ofSeconds(1);
  /** How long one check waits for Kafka's answer. */
  public static final Duration ANSWER = Duration.ofMillis(900);
  private static final Duration EVERY = Duration.ofMillis(250);

  private final Vertx vertx;
  private final Supplier<List<String>> check;
  private final long timer;
  private volatile List<String> problems = List.of("Kafka has not been asked yet");
  private volatile long answeredAt = System.nanoTime();
  private boolean inFlight;
  private Boolean wasReady;
  private long since = System.nanoTime();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaProbe.class);

  private KafkaProbe(Vertx vertx, Supplier<List<String>> check) {
    this.vertx = vertx;
    this.check = check;
    this.timer = vertx.setPeriodic(0, EVERY.toMillis(), t -> probe());
  }

  /** @param check what is wrong, one line each (empty: fine); blocking and bounded (a few seconds at most) */
  public static KafkaProbe start(Vertx vertx, Supplier<List<String>> check) {
    return new KafkaProbe(vertx, check);
  }

  /** Probes that the cluster answers at all: what a worker needs to do its work. */
  public static KafkaProbe cluster(Vertx vertx, Admin admin) {
    return start(vertx, () -> clusterAnswers(admin));
  }

  /** What is wrong now, one line each; empty when Kafka answered lately and the check found nothing. */
  public List<String> problems() {
    long silentFor = System.nanoTime() - answeredAt;
    if (silentFor > STALE.toNanos()) {
      return List.of("Kafka has not answered for " + String.format(java.util.Locale.ROOT, "%.1f",
          silentFor / 1e9) + " s");
    }
    return problems;
  }

  private void probe() {
    if (inFlight) {
      return;
    }
    inFlight = true;
    vertx.executeBlocking(check::get, false).onComplete(result -> {
      inFlight = false;
      if (result.succeeded()) {
        problems = List.copyOf(result.result());
        answeredAt = System.nanoTime();
      }
      sayWhenItChanged(problems());
    });
  }

  /** One line when Kafka goes away and one when it is back: operators see the outage, not a line a second. */
  private void sayWhenItChanged(List<String> now) {
    boolean ready = now.isEmpty();
    if (wasReady == null || ready != wasReady) {
      if (ready && wasReady != null) {
        LOG.info("Kafka answers again after {} s; ready", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since));
      } else if (!ready) {
        LOG.warn("not ready: {}; /ready answers 503 until this clears", String.join("; ", now));
      }
      wasReady = ready;
      since = System.nanoTime();
    }
  }

  static List<String> clusterAnswers(Admin admin) {
    try {
      admin.describeCluster().nodes().get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
      return List.of();
    } catch (ExecutionException e) {
      return List.of("Kafka refused: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      return List.of("Kafka did not answer within " + ANSWER.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("interrupted");
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
