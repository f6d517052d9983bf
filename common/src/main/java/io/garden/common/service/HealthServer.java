package io.garden.common.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health}, {@code GET /ready} and {@code GET /metrics} on a port of their own, for the platform's health
 * checks and the metrics scraper: separate from any API, so a busy or protected API never makes a healthy service
 * look dead. {@code /health} is liveness only (the process serves); {@code /ready} says whether it can work now
 * (Kafka answers), from a probe's last result, so it answers at once even while Kafka does not.
 */
final class HealthServer {

  private final String service;
  private final List<String> parts;
  private final String about;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier stopping;
  private final Supplier<List<String>> readiness;

  HealthServer(String service, List<String> parts, java.util.Map<String, java.util.Map<String, String>> about,
               PrometheusMeterRegistry registry, BooleanSupplier stopping, Supplier<List<String>> readiness) {
    this.service = service;
    this.parts = List.copyOf(parts);
    try {
      // Written once: what a part found at start does not change while it runs.
      this.about = about.isEmpty() ? "" : ",\"about\":" + io.garden.common.format.Json.events()
          .writeValueAsString(sorted(about));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write what the parts found", e);
    }
    this.registry = registry;
    this.stopping = stopping;
    this.readiness = readiness;
  }

  /** In one order, part by part and fact by fact: the same facts, the same bytes. */
  private static java.util.Map<String, java.util.Map<String, String>> sorted(
      java.util.Map<String, java.util.Map<String, String>> about) {
    java.util.Map<String, java.util.Map<String, String>> sorted = new java.util.TreeMap<>();
    about.forEach((part, facts) -> sorted.put(part, new java.util.TreeMap<>(facts)));
    return sorted;
  }

  Future<HttpServer> listen(Vertx vertx, int port) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "0.0.0.0");
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> health(request);
      case "/ready" -> ready(request);
      case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(registry.scrape());
      default -> request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"error\":\"not found: try /health, /ready or /metrics\"}");
    }
  }

  private void ready(HttpServerRequest request) {
    List<String> problems = stopping.getAsBoolean() ? List.of("stopping") : readiness.get();
    String body;
    try {
      body = io.garden.common.format.Json.events().writeValueAsString(java.util.Map.of(
          "status", problems.isEmpty() ? "READY" : "NOT_READY", "service", service, "problems", problems));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a readiness answer", e);
    }
    request.response().setStatusCode(problems.isEmpty() ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(body);
  }

  private void health(HttpServerRequest request) {
    boolean down = stopping.getAsBoolean();
    // Built by hand: the names are ours (no quoting needed) and this answers every few seconds.
    String body = "{\"status\":\"" + (down ? "STOPPING" : "UP") + "\",\"service\":\"" + service
        + "\",\"parts\":[" + String.join(",", parts.stream().map(p -> "\"" + p + "\"").toList()) + "]" + about
        + "}";
    request.response().setStatusCode(down ? 503 : 200).putHeader("Content-Type", "application/json").end(body);
  }
}
