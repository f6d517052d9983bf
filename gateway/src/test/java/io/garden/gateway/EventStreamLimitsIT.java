package io.garden.gateway;

import io.garden.common.ExamplesRepo;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.gateway.testing.RunningGateway;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event streams cannot make the gateway hold without bound: history readers that stop reading are held back and
 * then ended, and both kinds of stream are capped with a clear 503.
 */
@ExtendWith(KafkaBroker.class)
class EventStreamLimitsIT {

  private static final String TOKEN = "streams-" + UUID.randomUUID();
  /** 18 MB of history: more than the kernel buffers between a silent client and the gateway hold. */
  private static final int HISTORY = 12_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path temp;

  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    Path repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    gateway = RunningGateway.withFakeWorkers(Map.of("GARDEN_API_TOKEN", TOKEN,
        "GARDEN_ALLOWED_PATHS", repo.toString(), "GARDEN_MAX_STREAMS", "4", "GARDEN_MAX_CATCHUP_STREAMS", "2",
        "GARDEN_STREAM_STALL_SECONDS", "2"), temp.resolve("store"));
    // History bigger than any socket buffer: a client that never reads really falls behind.
    Map<String, Object> producer = new HashMap<>(new KafkaSettings(KafkaBroker.bootstrapServers(), "bulk", "it")
        .producer());
    try (KafkaProducer<String, byte[]> bulk = new KafkaProducer<>(producer)) {
      String line = "x".repeat(1500);
      String pipeline = "bulk-" + UUID.randomUUID();
      for (int i = 0; i < HISTORY; i++) {
        bulk.send(new ProducerRecord<>(Topics.EVENTS, pipeline, EventCodec.shared().encode(
            new BuildProgress("apps/bulk", line + i), new EventContext(pipeline, pipeline, "it", "it@test"))));
      }
      bulk.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @DisplayName("history readers that never read: a third is refused (503); the silent ones are held back, then"
      + " ended, and free their places")
  void silentHistoryReadersAreBoundedAndEnded() throws Exception {
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        silent.add(openSilently("/api/v1/events?since=0"));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/v1/events?since=0").statusCode() == 503);
      Answer refused = get("/api/v1/events?since=0");
      assertThat(refused.body()).contains("GARDEN_MAX_CATCHUP_STREAMS");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();

      // Reading nothing for the stall limit, each is ended and its reader is gone: the places are free again.
      await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/events?since=0").statusCode() == 200);
      for (Socket socket : silent) {
        socket.setSoTimeout(30_000);
        String seen = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(seen).as("it got part of the history, then the stream ended").contains("event: build.progress")
            .doesNotContain("x".repeat(1500) + (HISTORY - 1) + "\"");
      }
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("history readers that caught up follow the shared stream: their places are free, nothing is lost")
  void caughtUpReadersJoinTheSharedStream() throws Exception {
    List<Follower> readers = List.of(new Follower(), new Follower());
    try {
      readers.forEach(Follower::start);
      await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().allMatch(r -> r.saw("x" + (HISTORY - 1))));
      await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/events?since=0").statusCode() == 200);

      String marker = "after-the-switch-" + UUID.randomUUID();
      Map<String, Object> producer = new HashMap<>(new KafkaSettings(KafkaBroker.bootstrapServers(), "bulk", "it")
          .producer());
      try (KafkaProducer<String, byte[]> one = new KafkaProducer<>(producer)) {
        one.send(new ProducerRecord<>(Topics.EVENTS, marker, EventCodec.shared().encode(
            new BuildProgress("apps/bulk", marker), new EventContext(marker, marker, "it", "it@test")))).get();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> readers.stream().allMatch(r -> r.saw(marker)));
    } finally {
      readers.forEach(Follower::close);
    }
  }

  /** A client that reads its stream from the beginning as fast as it comes. */
  private static final class Follower {
    private final java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic
        .AtomicReference<>("");
    private final java.util.Set<String> markers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile InputStream body;

    void start() {
      Thread reader = new Thread(() -> {
        try {
          HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url()
              + "/api/v1/events?since=0")).header("Authorization", "Bearer " + TOKEN).build(),
              HttpResponse.BodyHandlers.ofInputStream());
          body = response.body();
          java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(body,
              StandardCharsets.UTF_8));
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data: ")) {
              int at = line.indexOf("\"line\":\"");
              if (at >= 0) {
                String text = line.substring(at + 8, line.indexOf('"', at + 8));
                last.set(text);
                if (text.startsWith("after-the-switch-")) {
                  markers.add(text);
                }
              }
            }
          }
        } catch (Exception ended) {
          // closed by the test
        }
      }, "follower");
      reader.setDaemon(true);
      reader.start();
    }

    boolean saw(String text) {
      return markers.contains(text) || last.get().endsWith(text);
    }

    void close() {
      try {
        if (body != null) {
          body.close();
        }
      } catch (java.io.IOException ignored) {
        // already closed
      }
    }
  }

  @Test
  @DisplayName("more streams than GARDEN_MAX_STREAMS: the next one is refused at once with a 503 saying why")
  void streamsAreCapped() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        if (open.size() < 4) {
          open.add(openSilently("/api/v1/events"));
        }
        return open.size() == 4 && get("/api/v1/events").statusCode() == 503;
      });
      assertThat(get("/api/v1/events").body()).contains("GARDEN_MAX_STREAMS");
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  /** A client that asks for a stream and never reads a byte of it, with a small receive window. */
  private static Socket openSilently(String path) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    URI url = URI.create(gateway.url());
    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nAuthorization: Bearer " + TOKEN
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(10)).build();
  }

  /** A status, headers and (for a refusal) the body: a stream that was let in is closed at once. */
  private record Answer(int statusCode, java.net.http.HttpHeaders headers, String body) {
  }

  private static Answer get(String path) throws Exception {
    HttpResponse<InputStream> response = HTTP.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      String text = response.statusCode() == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(response.statusCode(), response.headers(), text);
    }
  }
}
