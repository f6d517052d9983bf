package io.garden.gateway.testing;

import io.garden.common.kafka.KafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A gateway in a process of its own ({@code java io.garden.gateway.Main}, as the image runs it) on the test broker:
 * loopback, a fixed free port that a restart keeps, its output in a log file. Gateways in separate processes share
 * nothing but Kafka and the stores, as they do in production behind a load balancer.
 */
public final class GatewayProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Map<String, String> env;
  private final Path log;
  private final int port;
  private Process process;

  private GatewayProcess(Map<String, String> env, Path log, int port) {
    this.env = env;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts a gateway named {@code host} with {@code settings} (GARDEN_* as a deployment sets them) and returns once
   * its process runs; {@link #awaitReady} waits for it to serve.
   */
  public static GatewayProcess start(String host, Map<String, String> settings, Path folder) {
    Map<String, String> env = new LinkedHashMap<>(settings);
    env.put("GARDEN_HOST", host);
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("GARDEN_BIND", "127.0.0.1");
    int port = freePort();
    env.put("GARDEN_PORT", Integer.toString(port));
    env.put("GARDEN_HEALTH_PORT", Integer.toString(freePort()));
    env.putIfAbsent("GARDEN_STORE", folder.resolve("store").toString());
    env.putIfAbsent("GARDEN_SOURCE_CACHE", folder.resolve("sources").toString());
    GatewayProcess gateway = new GatewayProcess(env, folder.resolve(host + ".log"), port);
    gateway.launch();
    return gateway;
  }

  private void launch() {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.garden.gateway.Main").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("GARDEN_") || name.startsWith("KAFKA_"));
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Waits until {@code /ready} says 200, or fails with the gateway's log. */
  public GatewayProcess awaitReady() {
    java.util.concurrent.atomic.AtomicReference<String> said = new java.util.concurrent.atomic.AtomicReference<>("");
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .failFast("the gateway process ended; its log:\n" + log(), () -> !process.isAlive())
          .until(() -> {
            java.util.Optional<HttpResponse<String>> ready = get("/ready");
            said.set(ready.map(r -> r.statusCode() + " " + r.body()).orElse("(nothing listens)"));
            return ready.isPresent() && ready.get().statusCode() == 200;
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String text = log();
      throw new AssertionError("the gateway was not ready within 60 s; /ready said " + said.get()
          + "\nthe end of its log:\n" + text.substring(Math.max(0, text.length() - 6000)), e);
    }
    return this;
  }

  /** The status of a GET of {@code path}, or -1 when nothing listens on the port. */
  public int status(String path) {
    return get(path).map(HttpResponse::statusCode).orElse(-1);
  }

  /** A GET of {@code path} without credentials, empty when the connection is refused. */
  public java.util.Optional<HttpResponse<String>> get(String path) {
    try {
      return java.util.Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (java.net.ConnectException refused) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Ends the process at once, as a lost host would (SIGKILL): nothing of it is closed cleanly. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** Starts the same gateway again (same name, port and settings), as a restart policy would. */
  public void restart() {
    if (process.isAlive()) {
      process.destroy();
      waitFor();
    }
    launch();
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
