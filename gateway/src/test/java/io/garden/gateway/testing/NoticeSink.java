package io.garden.gateway.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the two notification sinks on loopback, recording every post: a Slack incoming webhook at
 * {@code /slack} that takes everything, and a generic webhook at {@code /webhook} that refuses the first post of
 * each delivery (503, a receiver having a bad moment) and takes the next.
 */
public final class NoticeSink implements AutoCloseable {

  /** One post as it arrived. */
  public record Post(String path, Map<String, String> headers, byte[] body, int answered) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

  private NoticeSink(HttpServer server) {
    this.server = server;
  }

  public static NoticeSink start() {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NoticeSink sink = new NoticeSink(server);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
      String delivery = headers.getOrDefault("X-Garden-Delivery", "");
      int status = path.equals("/webhook") && sink.refusedOnce.add(delivery) ? 503 : 200;
      sink.posts.add(new Post(path, java.util.Collections.unmodifiableMap(headers), body, status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return sink;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The posts to {@code path} whose body mentions {@code text}. */
  public List<Post> posts(String path, String text) {
    return posts.stream().filter(p -> p.path().equals(path) && p.text().contains(text)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
