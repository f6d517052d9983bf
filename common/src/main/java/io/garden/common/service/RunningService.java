package io.garden.common.service;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** A started service: where its health is served, and a clean stop (the SIGTERM path). */
public final class RunningService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);
  /** Each worker's own stop is bounded (10 s per step); this bounds the whole. */
  private static final long STOP_SECONDS = 45;

  private final String service;
  private final Vertx vertx;
  /** Its /health, /ready and /metrics: closed after the parts stop. */
  private final HealthEndpoint health;
  private volatile boolean stopping;

  RunningService(String service, Vertx vertx, HealthEndpoint health) {
    this.service = service;
    this.vertx = vertx;
    this.health = health;
  }

  boolean stopping() {
    return stopping;
  }

  public int healthPort() {
    return health.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops every part (workers finish or hand back the record in hand, commit, leave their groups), then the health
   * server. Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    LOG.info("{} stopping", service);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
      LOG.info("{} stopped", service);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly within {} s: {}", service, STOP_SECONDS, e.toString());
    } finally {
      closeQuietly(health);
    }
  }

  private void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("{}: closing its readiness probe failed: {}", service, e.toString());
    }
  }
}
