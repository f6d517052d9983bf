package io.garden.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a request body as raw bytes, within bounds: no larger than the body limit (413, said before reading when
 * Content-Length already tells), whole within the body time (408), and, for requests not authenticated yet, only
 * while the bytes held for all such requests stay within one shared budget (503). Nothing is decoded here: a form
 * or multipart body is bytes like any other, so a malformed one is the door's 400, never a stack trace.
 */
public final class BoundedBody implements Handler<RoutingContext> {

  /** Where the bytes are left for the next handler. */
  public static final String KEY = "garden.rawBody";

  private final Vertx vertx;
  private final HttpLimits limits;
  private final AtomicLong held;
  private final long maxBytes;

  private BoundedBody(Vertx vertx, HttpLimits limits, AtomicLong held, long maxBytes) {
    this.vertx = vertx;
    this.limits = limits;
    this.held = held;
    this.maxBytes = maxBytes;
  }

  /** For a door that checks a signature over the body: counted against the shared budget while it is read. */
  public static BoundedBody unverified(Vertx vertx, HttpLimits limits, AtomicLong budgetInUse) {
    return new BoundedBody(vertx, limits, budgetInUse, limits.bodyLimit());
  }

  /** The same, for a sender whose requests are never larger than {@code maxBytes} (a chat command). */
  public static BoundedBody unverified(Vertx vertx, HttpLimits limits, AtomicLong budgetInUse, long maxBytes) {
    return new BoundedBody(vertx, limits, budgetInUse, Math.min(maxBytes, limits.bodyLimit()));
  }

  /** For requests already authenticated (the API's bearer credential is a header). */
  public static BoundedBody authenticated(Vertx vertx, HttpLimits limits) {
    return new BoundedBody(vertx, limits, null, limits.bodyLimit());
  }

  public static byte[] of(RoutingContext ctx) {
    byte[] body = ctx.get(KEY);
    return body == null ? new byte[0] : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    long declared = declaredLength(request);
    if (declared > maxBytes) {
      refuse(ctx, 413, "the request body is larger than " + maxBytes + " bytes");
      return;
    }
    if (held != null && held.get() + Math.max(declared, 0) > limits.unverifiedBytes()) {
      refuse(ctx, 503, "too many unauthenticated request bodies are being received; retry shortly");
      return;
    }
    Buffer body = Buffer.buffer();
    long[] counted = {0};
    long timer = vertx.setTimer(limits.bodyTime().toMillis(), t -> {
      release(counted);
      refuse(ctx, 408, "the request body did not arrive within " + limits.bodyTime().toSeconds() + " s");
      ctx.request().connection().close(); // a client this slow is not waited for again on this connection
    });
    request.handler(chunk -> {
      if (ctx.response().ended()) {
        return;
      }
      long size = body.length() + (long) chunk.length();
      if (size > maxBytes || held != null && held.get() + chunk.length() > limits.unverifiedBytes()) {
        vertx.cancelTimer(timer);
        release(counted);
        refuse(ctx, size > maxBytes ? 413 : 503, size > maxBytes
            ? "the request body is larger than " + maxBytes + " bytes"
            : "too many unauthenticated request bodies are being received; retry shortly");
        return;
      }
      if (held != null) {
        held.addAndGet(chunk.length());
      }
      counted[0] += chunk.length();
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      vertx.cancelTimer(timer);
      release(counted);
    });
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      if (ctx.response().ended()) {
        return;
      }
      ctx.addEndHandler(done -> release(counted)); // held until the door has checked and answered
      ctx.put(KEY, body.getBytes());
      ctx.next();
    });
    request.resume();
  }

  private void release(long[] counted) {
    if (held != null && counted[0] > 0) {
      held.addAndGet(-counted[0]);
      counted[0] = 0;
    }
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader("Content-Length");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Answers at once; what the client still sends of a refused body is dropped as it comes, never kept. */
  private static void refuse(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      Replies.error(ctx, status, message);
    }
  }
}
