package io.garden.gateway.http;

import io.garden.common.event.EventCodec;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers: every response body of the API, errors included, goes through here. */
public final class Replies {

  /** A caller-given name (actor, request id, delivery id) short and plain enough to record in events as it is. */
  public static final java.util.regex.Pattern RECORDABLE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

  private Replies() {
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

  /** Where {@link #error} leaves its message for whoever records the refusal once the answer is sent. */
  public static final String ERROR = "garden.error";

  /** {@code {"error": message, "status": status}}. */
  public static void error(RoutingContext ctx, int status, String message) {
    ctx.put(ERROR, message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    if (!ctx.response().ended()) {
      json(ctx, status, body);
    }
  }
}
