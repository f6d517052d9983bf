package io.garden.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The gateway's HTTP API as the ITs call it: a bearer credential, JSON in and out, plain HTTP/1.1. */
public final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public ApiClient(String base) {
    this.base = base;
  }

  public URI url(String path) {
    return URI.create(base + path);
  }

  public HttpResponse<String> get(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> delete(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + token).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST /api/v1/pipelines; {@code idempotencyKey} may be null. */
  public HttpResponse<String> submit(String body, String token, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/v1/pipelines"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** /health on a connection of its own, within a second. */
  public int health() throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
        url("/health")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  public static JsonNode json(String body) {
    try {
      return EventCodec.shared().mapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** The {@code error} of an error answer. */
  public static String error(HttpResponse<String> answer) {
    return json(answer.body()).path("error").asText();
  }
}
