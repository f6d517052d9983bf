package io.garden.gateway.views;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Writes finished pipelines to the archive, a few at a time on worker threads, in the order they finished. A write
 * that fails is tried again after a pause: until it is written, the pipeline holds the views' restore point back,
 * so nothing is lost, only a restart reads further. Owned by one event loop.
 */
final class ArchiveWriter {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);
  private static final int IN_FLIGHT = 4;
  private static final long RETRY_MS = 5_000;

  private final Vertx vertx;
  private final PipelineArchive archive;
  private final Consumer<String> written;
  private final Deque<PipelineArchive.Archived> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean warned;
  private boolean closed;

  /** @param written told, on the event loop, of each pipeline once its archive is stored */
  ArchiveWriter(Vertx vertx, PipelineArchive archive, Consumer<String> written) {
    this.vertx = vertx;
    this.archive = archive;
    this.written = written;
  }

  void add(PipelineArchive.Archived pipeline) {
    waiting.addLast(pipeline);
    pump();
  }

  /** Archives waiting or being written: the views stop reading while it is high (a first start on old history). */
  int backlog() {
    return waiting.size() + inFlight;
  }

  void close() {
    closed = true;
  }

  private void pump() {
    while (!closed && inFlight < IN_FLIGHT && !waiting.isEmpty()) {
      PipelineArchive.Archived next = waiting.pollFirst();
      inFlight++;
      vertx.executeBlocking(() -> {
            archive.write(next);
            return null;
          }, false)
          .onComplete(result -> {
            inFlight--;
            if (result.succeeded()) {
              warned = false;
              written.accept(next.id());
              pump();
            } else {
              retryLater(next, result.cause());
            }
          });
    }
  }

  private void retryLater(PipelineArchive.Archived pipeline, Throwable cause) {
    if (!warned) {
      LOG.warn("pipeline archive: cannot write pipeline {} to {}: {}; trying again every {} s (until then a"
          + " restart of the gateway reads the audit stream from before it)", pipeline.id(), archive.describe(),
          cause.getMessage(), RETRY_MS / 1000);
      warned = true;
    }
    vertx.setTimer(RETRY_MS, t -> {
      waiting.addFirst(pipeline);
      pump();
    });
  }
}
