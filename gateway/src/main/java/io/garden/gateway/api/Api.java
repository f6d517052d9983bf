package io.garden.gateway.api;

import io.garden.common.event.EventCodec;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers: every response body of the API, errors included, goes through here. */
public final class Api {

  private Api() {
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(io.vertx.core.buffer.Buffer.buffer(EventCodec.shared().mapper().writeValueAsBytes(body)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render an API answer", e);
    }
  }

  /** {@code {"error": message, "status": status}}. */
  public static void error(RoutingContext ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    if (!ctx.response().ended()) {
      json(ctx, status, body);
    }
  }
}
