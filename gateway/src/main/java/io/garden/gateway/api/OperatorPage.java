package io.garden.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator page at {@code /}: three files shipped in the jar (webroot/), served from memory. Not Vert.x's
 * StaticHandler: for class-path files it copies them into a {@code .vertx} cache folder in the working directory,
 * which is the user's repository for {@code garden up}. The page holds no data; everything it shows comes from
 * {@code /api/v1} with the token the user types in, so the page itself needs none.
 */
public final class OperatorPage {

  /** Only our own files and our own API; nothing inline, nothing from elsewhere, never in a frame. */
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private record File(Buffer body, String type) {
  }

  private final Map<String, File> files = new LinkedHashMap<>();

  public OperatorPage() {
    files.put("/ui/index.html", load("index.html", "text/html; charset=utf-8"));
    files.put("/ui/app.js", load("app.js", "text/javascript; charset=utf-8"));
    files.put("/ui/style.css", load("style.css", "text/css; charset=utf-8"));
  }

  public void mount(Router router) {
    router.get("/").handler(ctx -> serve(ctx, files.get("/ui/index.html")));
    files.forEach((path, file) -> router.get(path).handler(ctx -> serve(ctx, file)));
  }

  private static void serve(RoutingContext ctx, File file) {
    ctx.response()
        .putHeader("Content-Type", file.type())
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache")
        .end(file.body());
  }

  private static File load(String name, String type) {
    try (InputStream in = OperatorPage.class.getResourceAsStream("/webroot/" + name)) {
      if (in == null) {
        throw new IllegalStateException("webroot/" + name + " is missing from this build");
      }
      return new File(Buffer.buffer(in.readAllBytes()), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
