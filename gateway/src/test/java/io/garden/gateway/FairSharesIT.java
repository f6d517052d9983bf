package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import io.garden.gateway.testing.FakeWorkers;
import io.garden.gateway.testing.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fair shares on the real gateway service (broker, coordinator, HTTP server; stand-in workers): no one caller can
 * take what everyone needs. Each attack is one that took the node down or locked everyone out before: idle
 * connections without a token, half-sent bodies from one credential, all the event streams, a flood of pipelines,
 * a stream kept open after its credential was revoked. After each, /health answers within a second and a normal
 * pipeline runs.
 */
@ExtendWith(KafkaBroker.class)
class FairSharesIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final int MAX_CONNECTIONS = 60;

  @TempDir
  static Path temp;

  private static Path repo;
  private static RunningGateway gateway;
  private static FakeWorkers workers;
  private static EventTail events;
  private static CredentialFile credentials;
  private static String runner;
  private static final Map<String, String> TOKENS = new java.util.HashMap<>();
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    credentials = new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC());
    runner = credentials.create("runner", EnumSet.of(Role.RUN));
    // Made before the gateway starts: it reads the file every two seconds, and each test wants its own at once.
    for (String name : List.of("slow-reader", "follower", "other-follower", "doomed")) {
      TOKENS.put(name, credentials.create(name, EnumSet.of(Role.READ)));
    }
    TOKENS.put("flooder", credentials.create("flooder", EnumSet.of(Role.RUN)));
    gateway = RunningGateway.withFakeWorkers(Map.of(
        "GARDEN_API_TOKENS_FILE", credentials.path().toString(),
        "GARDEN_ALLOWED_PATHS", repo.toString(),
        "GARDEN_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS),
        "GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL", "12",
        "GARDEN_MAX_STREAMS_PER_CREDENTIAL", "3",
        "GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "3",
        "GARDEN_HTTP_BODY_SECONDS", "30"), temp.resolve("store"));
    workers = gateway.workers();
    events = gateway.events();
  }

  @AfterEach
  void closeSockets() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
    sockets.clear();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @DisplayName("connections without a token can never take the last places: a caller with one, and a health probe,"
      + " still get in")
  void idleConnectionsWithoutATokenLockNobodyOut() throws Exception {
    for (int i = 0; i < MAX_CONNECTIONS + 10; i++) {
      sockets.add(new Socket("127.0.0.1", port()));
    }
    // Every one of them was accepted; none sends a byte. Once they have been quiet a moment, a newcomer takes the
    // place of one of them (until then it would be answered 503, never left without an answer).
    await().pollDelay(io.garden.gateway.http.ConnectionGate.IDLE_BEFORE_EVICTION.plusMillis(200))
        .atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(FairSharesIT::nodeServes);
  }

  @Test
  @DisplayName("one credential's half-sent bodies hold its own share only: beyond it 429, others still submit")
  void halfSentBodiesHoldOnlyTheirShare() throws Exception {
    String reader = TOKENS.get("slow-reader");
    List<Integer> refused = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Socket slow = new Socket("127.0.0.1", port());
      sockets.add(slow);
      OutputStream out = slow.getOutputStream();
      out.write(("POST /api/v1/pipelines HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + reader
          + "\r\nContent-Type: application/json\r\nContent-Length: " + (1 << 20) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1 << 19]);
      out.flush();
      answered(slow, 300).ifPresent(refused::add);
    }
    assertThat(refused).as("the 4 MiB share holds four 1 MiB bodies; the other four are refused at once")
        .hasSize(4).containsOnly(429);
    nodeServes();
  }

  @Test
  @DisplayName("one credential holds at most its share of event streams (429); another still opens one")
  void eventStreamsPerCredential() throws Exception {
    String follower = TOKENS.get("follower");
    String other = TOKENS.get("other-follower");
    for (int i = 0; i < 3; i++) {
      assertThat(stream(follower)).isEqualTo(200);
    }
    assertThat(stream(follower)).isEqualTo(429);
    assertThat(stream(other)).isEqualTo(200);
    nodeServes();
  }

  @Test
  @DisplayName("a credential revoked while its event stream is open stops receiving within the re-read interval")
  void revokedCredentialsStreamEnds() throws Exception {
    String doomed = TOKENS.get("doomed");
    Socket socket = new Socket("127.0.0.1", port());
    sockets.add(socket);
    socket.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + doomed
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    assertThat(readUntil(in, "garden audit stream")).startsWith("HTTP/1.1 200");

    credentials.revoke("doomed");
    long asked = System.nanoTime();
    String rest = readToEnd(in);
    assertThat(rest).contains("event: revoked");
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  @DisplayName("one principal has at most its share of pipelines queued or running: beyond it 429 with Retry-After,"
      + " recorded; another principal's pipelines still run")
  void pipelinesPerPrincipal() throws Exception {
    String flooder = TOKENS.get("flooder");
    workers.registryAway();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(post(registryBuild(), flooder).statusCode()).isEqualTo(202);
      }
      HttpResponse<String> over = post(registryBuild(), flooder);
      assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
      assertThat(over.headers().firstValue("Retry-After")).isPresent();
      assertThat(json(over.body()).path("error").asText()).contains("GARDEN_MAX_PIPELINES_PER_PRINCIPAL");
      AccessDecided decided = CODEC.payload(events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class)
          && "api:flooder".equals(e.actor()) && !CODEC.payload(e, AccessDecided.class).allowed()),
          AccessDecided.class);
      assertThat(decided.reason()).contains("pipelines queued or running");
      nodeServes();
    } finally {
      workers.registryBack();
    }
  }

  // ---- helpers ----

  /** /health within a second on a new connection, and an ordinary pipeline of another credential to the end. */
  private static void nodeServes() throws Exception {
    HttpResponse<String> health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(url("/health")).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> submitted = post("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
        + "\"targets\":\"all\"}", runner);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String id = json(submitted.body()).path("id").asText();
    PipelineFinished finished = CODEC.payload(events.awaitEvent(e -> id.equals(e.pipelineId())
        && EventTypes.is(e, PipelineFinished.class)), PipelineFinished.class);
    assertThat(finished.state()).isEqualTo(PipelineFinished.State.SUCCEEDED);
  }

  private static String registryBuild() {
    return "{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"build-registry\"],\"targets\":\"all\"}";
  }

  /** The status an event stream request gets; a stream that opened stays open (its socket is kept). */
  private int stream(String token) throws IOException {
    Socket socket = new Socket("127.0.0.1", port());
    sockets.add(socket);
    socket.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout(5_000);
    String head = readUntil(socket.getInputStream(), "\r\n");
    return Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
  }

  /** The status, when the server answered within {@code millis}; empty when it is still reading the body. */
  private static java.util.Optional<Integer> answered(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      String head = readUntil(socket.getInputStream(), "\r\n");
      return java.util.Optional.of(Integer.parseInt(head.substring(9, 12)));
    } catch (SocketTimeoutException e) {
      return java.util.Optional.empty();
    }
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      read.write(b);
    }
    return read.toString(StandardCharsets.UTF_8);
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      read.write(buffer, 0, n);
    }
    return read.toString(StandardCharsets.UTF_8);
  }

  private static int port() {
    return URI.create(gateway.url()).getPort();
  }

  private static URI url(String path) {
    return URI.create(gateway.url() + path);
  }

  private static HttpResponse<String> post(String body, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url("/api/v1/pipelines")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String body) {
    return io.garden.gateway.testing.ApiClient.json(body);
  }
}
