package io.garden.cli;

import com.sun.net.httpserver.HttpServer;
import io.garden.cli.remote.GatewayClient;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.tracing.Tracing;
import io.garden.gateway.GatewayConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per pipeline, from the door through the coordinator to the worker: in one process with the SDK's
 * in-memory exporter, and across processes to an OTLP receiver on loopback.
 */
@ExtendWith(KafkaBroker.class)
class PipelineTraceIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";

  @TempDir
  Path temp;

  private Map<String, String> env(Path repo) {
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "trace-it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    return env;
  }

  /** Submits validate with the caller's traceparent; returns the pipeline id once it finished. */
  private static String validate(GardenNode node, Path repo, String trace) throws Exception {
    HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.url() + "/api/v1/pipelines"))
        .header("Authorization", "Bearer " + node.token()).header("Content-Type", "application/json")
        .header("traceparent", "00-" + trace + "-" + CALLER + "-01")
        .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
            + "\"targets\":\"all\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    String id = CODEC.mapper().readTree(posted.body()).path("id").asText();
    new GatewayClient(node.url(), node.token()).follow("pipeline=" + id + "&type=pipeline.finished",
        e -> EventTypes.is(e, PipelineFinished.class));
    return id;
  }

  @Test
  @DisplayName("a pipeline is one trace continuing the caller's: door, coordinator's dispatch, worker; its events and"
      + " garden status carry the trace id")
  void onePipelineOneTrace() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetry sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    Tracing.install(sdk);
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> env = env(repo);
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try (GardenNode node = GardenNode.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
        .allowingPaths(List.of(repo)), new PrintWriter(new StringWriter()))) {
      String id = validate(node, repo, TRACE);

      await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems().stream()
          .anyMatch(s -> s.getKind() == SpanKind.CONSUMER && s.getTraceId().equals(TRACE)));
      List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE)).toList();
      SpanData door = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      SpanData dispatch = trace.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
      SpanData worker = trace.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
      assertThat(door.getParentSpanId()).as("the caller's span is the door's parent").isEqualTo(CALLER);
      assertThat(door.getName()).isEqualTo("pipeline validate");
      assertThat(dispatch.getName()).isEqualTo("validate *");
      assertThat(dispatch.getParentSpanId()).isEqualTo(door.getSpanId());
      assertThat(worker.getName()).startsWith("validate-worker validate");
      assertThat(worker.getParentSpanId()).isEqualTo(dispatch.getSpanId());

      JsonAssert status = new JsonAssert(new GatewayClient(node.url(), node.token()).pipeline(id).toString());
      assertThat(status.text()).contains("\"traceId\":\"" + TRACE + "\"");
      Map<String, String> remote = new HashMap<>(env);
      remote.put("GARDEN_URL", node.url());
      remote.put("GARDEN_API_TOKEN", node.token());
      assertThat(CliRun.of(remote, "status", id).out()).contains("trace: " + TRACE);
      List<Envelope> events = new ArrayList<>();
      new GatewayClient(node.url(), node.token()).follow("pipeline=" + id, e -> {
        events.add(e);
        return EventTypes.is(e, PipelineFinished.class);
      });
      assertThat(events).filteredOn(e -> e.type().startsWith("pipeline.") || e.type().startsWith("step."))
          .isNotEmpty().allMatch(e -> TRACE.equals(e.traceId()));
    } finally {
      Tracing.install(OpenTelemetry.noop());
    }
  }

  @Test
  @DisplayName("a worker in its own process sends its spans of the pipeline's trace to the OTLP endpoint OTEL_* names")
  void workerExportsOverOtlp() throws Exception {
    List<byte[]> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      received.add(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> env = env(repo);
    Path log = temp.resolve("worker.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.garden.cli.Main", "worker", "validate",
        "--data-dir", temp.resolve("worker").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort());
    builder.environment().put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    builder.environment().put("OTEL_BSP_SCHEDULE_DELAY", "200");
    builder.environment().put("OTEL_SERVICE_NAME", "validate-worker-it");
    Process worker = builder.start();
    String trace = "0af7651916cd43dd8448eb211c80319c";
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Press Ctrl+C"));
      try (GardenNode gateway = GardenNode.start(env, config, GatewayConfig.fromEnv(env).withPort(0)
          .allowingPaths(List.of(repo)), new PrintWriter(new StringWriter()), EnumSet.of(GardenNode.Role.GATEWAY))) {
        validate(gateway, repo, trace);
      }
      byte[] traceId = HexFormat.of().parseHex(trace);
      await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(body -> contains(body, traceId)
          && new String(body, StandardCharsets.ISO_8859_1).contains("validate-worker-it")));
    } finally {
      worker.destroy();
      worker.waitFor(30, TimeUnit.SECONDS);
      worker.destroyForcibly();
      receiver.stop(0);
    }
  }

  private static boolean contains(byte[] body, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= body.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (body[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A JSON text to look into. */
  private record JsonAssert(String text) {
  }
}
