package io.garden.common.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} and {@code GET /metrics} on a port of their own, for the platform's health checks and the
 * metrics scraper: separate from any API, so a busy or protected API never makes a healthy service look dead.
 */
final class HealthServer {

  private final String service;
  private final List<String> parts;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier stopping;

  HealthServer(String service, List<String> parts, PrometheusMeterRegistry registry, BooleanSupplier stopping) {
    this.service = service;
    this.parts = List.copyOf(parts);
    this.registry = registry;
    this.stopping = stopping;
  }

  Future<HttpServer> listen(Vertx vertx, int port) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "0.0.0.0");
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> health(request);
      case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(registry.scrape());
      default -> request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"error\":\"not found: try /health or /metrics\"}");
    }
  }

  private void health(HttpServerRequest request) {
    boolean down = stopping.getAsBoolean();
    // Built by hand: the names are ours (no quoting needed) and this answers every few seconds.
    String body = "{\"status\":\"" + (down ? "STOPPING" : "UP") + "\",\"service\":\"" + service
        + "\",\"parts\":[" + String.join(",", parts.stream().map(p -> "\"" + p + "\"").toList()) + "]}";
    request.response().setStatusCode(down ? 503 : 200).putHeader("Content-Type", "application/json").end(body);
  }
}
