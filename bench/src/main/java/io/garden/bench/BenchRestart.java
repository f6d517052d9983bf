package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.GardenCommand;
import io.garden.cli.GardenNode;

import io.garden.cli.remote.GatewayClient;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.Topics;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.RestorePoints;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.GatewayVerticle;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code garden bench restart}: what a year of history costs a gateway that restarts. Real pipelines are run once
 * (on a scratch broker), their audit events copied under new ids until the history holds {@code --pipelines} of
 * them, dated across the last year (straight to the topic, fast). A gateway (coordinator and API) is started on it
 * once — the first start of this version on old history reads it all and archives every finished pipeline — and
 * stopped; then it is restarted and timed to {@code /ready}, its heap measured after a GC, against the same on an
 * empty history.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {
        "Time a gateway's restart to /ready, and its heap, with --pipelines pipelines of history (their real",
        "events, copied under new ids, dated across a year) against an empty history. Target: ready in 10 s,",
        "heap 256 MB. The first start on the history (which archives it) is timed too."})
final class BenchRestart implements Callable<Integer> {

  @ParentCommand
  BenchCommand bench;

  @Option(names = "--pipelines", defaultValue = "100000", description = "Pipelines of history (default: 100000).")
  int pipelines;

  @Option(names = "--days", defaultValue = "360", description = {"Over how many days up to now the history is"
      + " spread (default: 360, a year; 1 is a dense day, all of it inside the 24 h de-duplication window)."})
  int days;

  @Option(names = "--examples", paramLabel = "PATH", defaultValue = "examples/extensions",
      description = "The repository the real pipelines run on (copied first; default: examples/extensions).")
  Path examples;

  private static final EventCodec CODEC = EventCodec.shared();
  /**
   * The views hold the last finished pipelines (GARDEN_RECENT_PIPELINES, 2000) on their restore point: it stops
   * this many events short of the end (the template pipelines have fewer than 20 events each).
   */
  private static final long RECENT_SLACK = 2_000L * 20;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    GardenCommand root = bench.root();
    Path work = Files.createTempDirectory("garden-bench-restart");
    Map<String, String> env = new HashMap<>(root.env());
    env.put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock"));
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    Path repo = BenchGateway.copy(examples.toAbsolutePath().normalize(), work.resolve("examples"));

    Map<String, List<Envelope>> templates;
    try (EmbeddedKafka scratch = EmbeddedKafka.startIn(work.resolve("scratch"))) {
      GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(work.resolve("scratch-store"))
          .withKafka(scratch.bootstrapServers());
      GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(List.of(repo));
      try (GardenNode node = GardenNode.start(env, config, gateway, new PrintWriter(Writer.nullWriter()))) {
        templates = realPipelines(node, repo, scratch.bootstrapServers());
      }
    }
    Measured empty = restart(out, env, repo, work.resolve("empty"), templates, 0);
    Measured full = restart(out, env, repo, work.resolve("full"), templates, pipelines);
    out.printf(Locale.ROOT, "empty history:          ready in %5.1f s, heap %4d MB%n", empty.seconds(), empty.heapMb());
    out.printf(Locale.ROOT, "%,7d pipelines (%,d events over %d days): ready in %5.1f s, heap %4d MB (target: 10 s, 256 MB);"
        + " first start on it (archives it all) %.1f s%n", pipelines, full.events(), days, full.seconds(), full.heapMb(),
        full.firstStartSeconds());
    out.flush();
    return ExitCodes.OK;
  }

  private record Measured(double seconds, long heapMb, long events, double firstStartSeconds) {
  }

  /**
   * A broker of its own with {@code copies} pipelines of history; a gateway started on it once (its first start),
   * then again, timed.
   */
  private Measured restart(PrintWriter out, Map<String, String> env, Path repo, Path data,
                           Map<String, List<Envelope>> templates, int copies) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startIn(data.resolve("kafka"))) {
      GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(data.resolve("store"))
          .withKafka(kafka.bootstrapServers());
      GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(List.of(repo));
      long events = 0;
      double firstStart = 0;
      if (copies > 0) {
        try (Admin admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), "bench", "bench").admin())) {
          new TopicBootstrapper(admin, config.topics()).ensureTopics();
        }
        long t0 = System.nanoTime();
        events = copy(templates, copies, days, kafka.bootstrapServers());
        out.printf(Locale.ROOT, "wrote %,d events of %,d pipelines in %.1f s%n", events, copies,
            BenchGateway.seconds(System.nanoTime() - t0));
        out.flush();
        t0 = System.nanoTime();
        try (GardenNode node = gatewayOn(config, gateway)) {
          awaitReady(node.url());
          awaitRestorePoints(kafka.bootstrapServers());
        }
        firstStart = BenchGateway.seconds(System.nanoTime() - t0);
        out.printf(Locale.ROOT, "first start on that history (read it all, archived every pipeline): %.1f s%n",
            firstStart);
        out.flush();
      }
      System.gc();
      long t0 = System.nanoTime();
      try (GardenNode node = gatewayOn(config, gateway)) {
        awaitReady(node.url());
        double seconds = BenchGateway.seconds(System.nanoTime() - t0);
        long heap = BenchGateway.heapAfterGcMb();
        return new Measured(seconds, heap, events, firstStart);
      }
    }
  }

  private static GardenNode gatewayOn(GardenConfig config, GatewayConfig gateway) throws Exception {
    return GardenNode.start(Map.of(), config, gateway, new PrintWriter(Writer.nullWriter()), EnumSet.of(GardenNode.Role.GATEWAY));
  }

  /** Until the coordinator's and the views' restore points are at the end of the history: all of it is archived. */
  private static void awaitRestorePoints(String servers) throws Exception {
    try (Admin admin = Admin.create(new KafkaSettings(servers, "bench", "bench").admin())) {
      Map<Integer, Long> ends = RestorePoints.since(admin, java.time.Instant.now().plus(Duration.ofDays(1)));
      long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
      while (System.nanoTime() < deadline) {
        Map<Integer, Long> views = RestorePoints.read(admin, GatewayVerticle.RESTORE_POINT);
        Map<Integer, Long> coordinator = RestorePoints.read(admin, CoordinatorVerticle.RESTORE_POINT);
        if (ends.entrySet().stream().allMatch(e -> views.getOrDefault(e.getKey(), 0L) >= e.getValue() - RECENT_SLACK
            && coordinator.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
      throw new IllegalStateException("the restore points did not reach the end of the history within an hour");
    }
  }

  /** Three ci-pipelines (no image steps) through a whole node; their events, by pipeline. */
  private static Map<String, List<Envelope>> realPipelines(GardenNode node, Path repo, String servers)
      throws Exception {
    GatewayClient client = new GatewayClient(node.url(), node.token());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = client.submit(CODEC.mapper().readTree("{\"source\":{\"path\":\"" + repo
          + "\"},\"steps\":[\"ci-pipeline\"],\"targets\":\"all\"}"));
      client.follow("pipeline=" + id + "&type=pipeline.finished", e -> EventTypes.is(e, PipelineFinished.class));
      ids.add(id);
    }
    Map<String, List<Envelope>> byPipeline = new LinkedHashMap<>();
    ids.forEach(id -> byPipeline.put(id, new ArrayList<>()));
    Map<String, Object> props = Map.of("bootstrap.servers", servers, "group.id", "bench-" + UUID.randomUUID(),
        "enable.auto.commit", "false");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
          .map(p -> new TopicPartition(Topics.EVENTS, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Envelope e = CODEC.decode(record.value());
          if (byPipeline.containsKey(e.pipelineId())) {
            byPipeline.get(e.pipelineId()).add(e);
          }
        }
      }
    }
    // In the order they happened: a pipeline's events are read from more than one partition (a few are keyed by
    // something else), and a copy whose finish came before its request would stay open for ever.
    byPipeline.values().forEach(events -> events.sort(java.util.Comparator.comparing(Envelope::time)));
    return byPipeline;
  }

  /**
   * Copies of the real pipelines' events under new ids, keyed like the real ones (by pipeline id), dated evenly
   * across the last {@code days} (record and event time alike), as that much use would have left them.
   */
  private static long copy(Map<String, List<Envelope>> templates, int copies, int days, String servers) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", servers);
    // Idempotent (acks=all), as the services' producers are: with acks=1 a retried batch may land after the next
    // one, and a copy whose finish was written before its request would stay open on the views' restore point.
    props.put("acks", "all");
    props.put("linger.ms", "20");
    props.put("batch.size", Integer.toString(512 * 1024));
    props.put("compression.type", "lz4");
    List<List<Envelope>> kinds = new ArrayList<>(templates.values());
    long events = 0;
    java.time.Instant end = java.time.Instant.now().minus(Duration.ofMinutes(10));
    java.time.Instant start = end.minus(Duration.ofDays(days)).plus(Duration.ofMinutes(20));
    long step = Duration.between(start, end).toMillis() / Math.max(1, copies);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < copies; i++) {
        String id = "p-bench-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Envelope> template = kinds.get(i % kinds.size());
        java.time.Instant at = start.plusMillis(step * i);
        java.time.Instant began = template.get(0).time();
        for (Envelope e : template) {
          java.time.Instant time = at.plus(Duration.between(began, e.time()));
          Envelope copy = new Envelope("e-" + UUID.randomUUID(), e.type(), e.version(), time, id,
              e.correlationId(), e.actor(), e.source(), e.causationId(), e.data());
          producer.send(new ProducerRecord<>(Topics.EVENTS, null, time.toEpochMilli(), id, CODEC.encode(copy)));
          events++;
        }
      }
      producer.flush();
    }
    return events;
  }

  private static void awaitReady(String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/ready")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new IllegalStateException("the gateway was not ready within an hour");
  }
}
