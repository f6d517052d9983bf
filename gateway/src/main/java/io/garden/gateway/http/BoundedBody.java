package io.garden.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * Reads a request body as raw bytes, within bounds: no larger than the body limit (413, said before reading when
 * Content-Length already tells), whole within the body time (408), and only while the bytes held for all requests of
 * its kind stay within one shared budget: for requests not authenticated yet (a signature to check) one budget over
 * every sender (503); for an API credential's requests a budget with a share per credential, so that one credential's
 * half-sent bodies cannot hold everyone's (429 beyond its share, 503 beyond the total). Nothing is decoded here: a
 * form or multipart body is bytes like any other, so a malformed one is the door's 400, never a stack trace.
 */
public final class BoundedBody implements Handler<RoutingContext> {

  /** Where the bytes are left for the next handler. */
  public static final String KEY = "garden.rawBody";
  private static final String RETRY_AFTER = "5";

  private final Vertx vertx;
  private final HttpLimits limits;
  /** Every sender not authenticated yet is one holder: they share the whole budget, as none can be told apart. */
  private static final String UNVERIFIED = "";

  private final Shares budget;
  private final Function<RoutingContext, String> holder;
  private final long maxBytes;

  private BoundedBody(Vertx vertx, HttpLimits limits, Shares budget, Function<RoutingContext, String> holder,
                      long maxBytes) {
    this.vertx = vertx;
    this.limits = limits;
    this.budget = budget;
    this.holder = holder;
    this.maxBytes = maxBytes;
  }

  /**
   * For a door that checks a signature over the body: counted against the budget of unverified bodies
   * ({@link HttpLimits#unverifiedBodies()}) while it is read.
   */
  public static BoundedBody unverified(Vertx vertx, HttpLimits limits, Shares budget) {
    return new BoundedBody(vertx, limits, budget, ctx -> UNVERIFIED, limits.bodyLimit());
  }

  /** The same, for a sender whose requests are never larger than {@code maxBytes} (a chat command). */
  public static BoundedBody unverified(Vertx vertx, HttpLimits limits, Shares budget, long maxBytes) {
    return new BoundedBody(vertx, limits, budget, ctx -> UNVERIFIED, Math.min(maxBytes, limits.bodyLimit()));
  }

  /**
   * For requests already authenticated (the API's bearer credential is a header): each credential its share.
   *
   * @param holder who the request's body counts against (the authenticated principal's name)
   */
  public static BoundedBody authenticated(Vertx vertx, HttpLimits limits, Shares budget,
                                          Function<RoutingContext, String> holder) {
    return new BoundedBody(vertx, limits, budget, holder, limits.bodyLimit());
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
    Held held = new Held(holder.apply(ctx));
    // A declared length is reserved whole before a byte is read: a body sent halfway holds what it announced.
    if (!held.take(ctx, Math.max(declared, 0))) {
      return;
    }
    Buffer body = Buffer.buffer();
    long timer = vertx.setTimer(limits.bodyTime().toMillis(), t -> {
      held.release();
      refuse(ctx, 408, "the request body did not arrive within " + limits.bodyTime().toSeconds() + " s");
      ctx.request().connection().close(); // a client this slow is not waited for again on this connection
    });
    request.handler(chunk -> {
      if (ctx.response().ended()) {
        return;
      }
      long size = body.length() + (long) chunk.length();
      if (size > maxBytes) {
        vertx.cancelTimer(timer);
        held.release();
        refuse(ctx, 413, "the request body is larger than " + maxBytes + " bytes");
        return;
      }
      if (size > held.amount && !held.take(ctx, size - held.amount)) {
        vertx.cancelTimer(timer);
        held.release();
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      vertx.cancelTimer(timer);
      held.release();
    });
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      if (ctx.response().ended()) {
        held.release();
        return;
      }
      ctx.addEndHandler(done -> held.release()); // held until the door has checked and answered
      ctx.put(KEY, body.getBytes());
      ctx.next();
    });
    request.resume();
  }

  /** What one request holds of its budget; released once, whatever ends it. */
  private final class Held {
    private final String name;
    private long amount;

    Held(String name) {
      this.name = name;
    }

    /** Takes {@code more}, or answers the request with why not (429 or 503 with Retry-After) and returns false. */
    boolean take(RoutingContext ctx, long more) {
      Shares.Outcome outcome = budget.take(name, more);
      if (outcome == Shares.Outcome.TAKEN) {
        amount += more;
        return true;
      }
      if (name.equals(UNVERIFIED)) {
        busy(ctx, 503, "too many unauthenticated request bodies are being received; retry shortly");
      } else if (outcome == Shares.Outcome.HOLDER_FULL) {
        busy(ctx, 429, name + " is sending " + budget.perHolder() / 1024 + " KB of request bodies already"
            + " (GARDEN_BODY_BYTES_PER_CREDENTIAL); retry once they are done");
      } else {
        busy(ctx, 503, "too many request bodies are being received (GARDEN_BODY_BUDGET_BYTES); retry shortly");
      }
      return false;
    }

    void release() {
      if (amount > 0) {
        budget.give(name, amount);
        amount = 0;
      }
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

  private static void busy(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER);
      // The rest of the body is not wanted: closing after the answer frees the connection's buffers at once.
      ctx.response().putHeader("Connection", "close");
      Replies.error(ctx, status, message);
    }
  }

  /** Answers at once; what the client still sends of a refused body is dropped as it comes, never kept. */
  private static void refuse(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      Replies.error(ctx, status, message);
    }
  }
}
