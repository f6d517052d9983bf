package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.GardenCommand;
import io.garden.cli.GardenNode;
import io.garden.cli.Main;

import io.garden.cli.remote.GatewayClient;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineStarted;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.extension.model.ExtensionRepository;
import io.garden.gateway.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code garden bench gateway}: the event-driven path measured from outside, on an in-process node (embedded
 * broker, every worker, coordinator, gateway) with image steps off.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {
        "Start a node in this process (embedded Kafka unless KAFKA_BOOTSTRAP_SERVERS; no container engine),",
        "then measure: POST /api/v1/pipelines acknowledgement latency at a fixed rate (open loop: latency counts",
        "from when a request was due), request → pipeline.started, ci-pipeline on examples/extensions end to end,",
        "and with --corpus, ci-pipeline on that repository against the same steps run locally."})
final class BenchGateway implements Callable<Integer> {

  @ParentCommand
  BenchCommand bench;

  @Option(names = "--rate", defaultValue = "200", description = "POSTs per second (default: 200).")
  int rate;

  @Option(names = "--duration", defaultValue = "60", description = "Seconds of measured load (default: 60).")
  int duration;

  @Option(names = "--warmup", defaultValue = "10", description = "Seconds of the same load first, not measured:"
      + " JIT compilation and first-use costs (default: 10).")
  int warmup;

  @Option(names = "--gateways", defaultValue = "1", description = "Gateways taking the load, round robin (default:"
      + " 1); the others are gateway-only nodes in this process on the same broker, as behind a load balancer.")
  int gateways;

  @Option(names = "--examples", paramLabel = "PATH", defaultValue = "examples/extensions",
      description = "The repository for the end-to-end runs (copied first; default: examples/extensions).")
  Path examples;

  @Option(names = "--corpus", paramLabel = "PATH", description = "A large repository (gen_corpus.py OUT 1000 7):"
      + " ci-pipeline on a copy of it, against the same steps run locally on another copy.")
  Path corpus;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    GardenCommand root = bench.root();
    Path work = Files.createTempDirectory("garden-bench-gateway");
    Map<String, String> env = new HashMap<>(root.env());
    env.put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock")); // image steps are not what is measured
    Path repo = copy(examples.toAbsolutePath().normalize(), work.resolve("examples"));
    List<Path> roots = new ArrayList<>(List.of(repo));
    if (corpus != null) {
      roots.add(Files.createDirectories(work.resolve("corpus")));
    }
    // One token for every gateway: the load balancer may send a request to any of them. The load is one caller:
    // its fair share of pipelines in flight would refuse most of it (429) once the workers fall behind, and what
    // is measured is the intake and the coordinator, not the share.
    env.putIfAbsent("GARDEN_API_TOKEN", "bench-" + java.util.UUID.randomUUID());
    env.putIfAbsent("GARDEN_MAX_PIPELINES_PER_PRINCIPAL", "1000000");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(work.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(roots);
    long startNode = System.nanoTime();
    List<GardenNode> more = new ArrayList<>();
    try (GardenNode node = GardenNode.start(env, config, gateway, new PrintWriter(Writer.nullWriter()))) {
      GatewayClient client = new GatewayClient(node.url(), node.token());
      // End to end first, on the node alone: an extra gateway-only node looks for build workers in the cluster
      // (there are none here) where the node skips image steps for want of an engine.
      endToEnd(out, client, repo, "examples/extensions", 3);
      for (int g = 2; g <= gateways; g++) {
        Map<String, String> other = new HashMap<>(env);
        other.put("KAFKA_BOOTSTRAP_SERVERS", node.bootstrapServers());
        other.put("GARDEN_HOST", "bench-gateway-" + g);
        more.add(GardenNode.start(other, GardenConfig.fromEnv(other).withStoreDefault(work.resolve("store")),
            GatewayConfig.fromEnv(other).withPort(0).allowingPaths(roots), new PrintWriter(Writer.nullWriter()),
            java.util.EnumSet.of(GardenNode.Role.GATEWAY)));
      }
      out.printf(Locale.ROOT, "node up in %.1f s (%s)%s; cores: %d%n", seconds(System.nanoTime() - startNode),
          String.join(", ", node.components()), more.isEmpty() ? "" : " and " + more.size() + " more gateway(s)",
          Runtime.getRuntime().availableProcessors());
      out.println("  watch it: GARDEN_URL=" + node.url() + " GARDEN_API_TOKEN=" + node.token() + " garden tail");
      out.flush();
      if (duration > 0) {
        List<GardenNode> all = new ArrayList<>(List.of(node));
        all.addAll(more);
        load(out, node, all, repo);
      }
      if (corpus != null) {
        // Alternating, each on a fresh copy, best of two: neither side gets the other's JIT warm-up for free.
        double remote = Double.MAX_VALUE;
        double local = Double.MAX_VALUE;
        for (int round = 1; round <= 2; round++) {
          local = Math.min(local, localSteps(env, work.resolve("corpus-local-" + round)));
          Path copy = copy(corpus.toAbsolutePath().normalize(), work.resolve("corpus").resolve("r" + round));
          remote = Math.min(remote, endToEnd(out, client, copy, corpus.toString(), 1));
        }
        out.printf(Locale.ROOT, "corpus: gateway %.2f s vs local %.2f s = %.2f× (target ≤ 1.5×)%n", remote, local,
            remote / local);
      }
    } finally {
      more.forEach(GardenNode::close);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** ci-pipeline without image steps, submit → pipeline.finished; returns the best wall time in seconds. */
  private static double endToEnd(PrintWriter out, GatewayClient client, Path repo, String label, int runs)
      throws IOException {
    double best = Double.MAX_VALUE;
    for (int run = 1; run <= runs; run++) {
      long t0 = System.nanoTime();
      String id = client.submit(io.garden.common.event.EventCodec.shared().mapper().readTree(
          "{\"source\":{\"path\":" + quote(repo.toString()) + "},\"steps\":[\"ci-pipeline\"],\"targets\":\"all\"}"));
      List<PipelineFinished> end = new ArrayList<>();
      client.follow("pipeline=" + id + "&type=pipeline.finished", e -> {
        if (EventTypes.is(e, PipelineFinished.class)) {
          end.add(io.garden.common.event.EventCodec.shared().payload(e, PipelineFinished.class));
          return true;
        }
        return false;
      });
      double s = seconds(System.nanoTime() - t0);
      best = Math.min(best, s);
      out.printf(Locale.ROOT, "ci-pipeline on %s, run %d: %s in %.2f s (submit → pipeline.finished)%n", label, run,
          end.get(0).state().wire(), s);
      if (run == runs) {
        for (var step : client.pipeline(id).path("steps")) {
          if (step.hasNonNull("startedAt") && step.hasNonNull("finishedAt")) {
            out.printf(Locale.ROOT, "  %-17s %5d ms%n", step.path("name").asText(), java.time.Duration.between(
                Instant.parse(step.path("startedAt").asText()), Instant.parse(step.path("finishedAt").asText()))
                .toMillis());
          }
        }
      }
      out.flush();
    }
    return best;
  }

  /** Open-loop POSTs at {@code rate}/s; each latency counts from the moment its request was due. */
  private void load(PrintWriter out, GardenNode node, List<GardenNode> doors, Path repo) throws Exception {
    Map<String, Long> due = new ConcurrentHashMap<>();
    Map<String, Instant> started = new ConcurrentHashMap<>();
    java.util.concurrent.Semaphore startedSeen = new java.util.concurrent.Semaphore(0);
    AuditStreamReader reader = AuditStreamReader.open(node.vertx(), node.kafka("bench"), "bench-started", AuditStreamReader.StartAt.end(), event -> {
              if (EventTypes.is(event.envelope(), PipelineStarted.class)
                  && event.envelope().pipelineId().startsWith("bench-")) {
                if (started.putIfAbsent(event.envelope().pipelineId(), event.envelope().time()) == null) {
                  startedSeen.release();
                }
              }
            }).await();
    // A client of its own (its own event loop, HTTP/1.1, a connection pool), as curl or a CI job would talk to the
    // gateway; a tick every millisecond sends every request that is due by then, so a slow tick delays nothing.
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    List<HttpClientAgent> https = doors.stream().map(door -> clientVertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(URI.create(door.url()).getPort()),
        new PoolOptions().setHttp1MaxSize(64))).toList();
    String body = "\"source\":{\"path\":" + quote(repo.toString()) + "},\"steps\":[\"validate\"],"
        + "\"targets\":[\"apps/team-notes\"]}";
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> service = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    Map<String, Integer> byStatus = new ConcurrentHashMap<>();
    java.util.Set<String> accepted = ConcurrentHashMap.newKeySet();
    int warm = rate * warmup;
    int total = warm + rate * duration;
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(total);
    long periodNanos = 1_000_000_000L / rate;
    AtomicInteger sent = new AtomicInteger();
    long t0 = System.nanoTime();
    clientVertx.setPeriodic(1, tick -> {
      while (sent.get() < total && t0 + sent.get() * periodNanos <= System.nanoTime()) {
        int n = sent.getAndIncrement();
        long dueAt = t0 + n * periodNanos;
        String id = "bench-" + n + "-" + t0;
        due.put(id, System.currentTimeMillis() - (System.nanoTime() - dueAt) / 1_000_000);
        long sentAt = System.nanoTime();
        https.get(n % https.size()).request(HttpMethod.POST, "/api/v1/pipelines")
            .compose(request -> request.putHeader("Authorization", "Bearer " + node.token())
                .putHeader("Content-Type", "application/json")
                .send("{\"pipelineId\":\"" + id + "\"," + body))
            .compose(response -> response.body().map(b -> response.statusCode()))
            .onComplete(result -> {
              if (result.succeeded() && result.result() == 202) {
                accepted.add(id);
                if (n >= warm) {
                  latencies.add(System.nanoTime() - dueAt);
                  service.add(System.nanoTime() - sentAt);
                } else {
                  due.remove(id);
                }
              } else {
                failures.incrementAndGet();
                byStatus.merge(result.succeeded() ? Integer.toString(result.result())
                    : result.cause().getClass().getSimpleName(), 1, Integer::sum);
              }
              answered.countDown();
            });
      }
    });
    // The load runs on the client's event loop; this thread only waits for its last answer.
    answered.await(warmup + duration + 120L, TimeUnit.SECONDS);
    clientVertx.close().await();
    double wall = seconds(System.nanoTime() - t0);
    // The coordinator may still be working through a backlog: wait (bounded) for every pipeline's start.
    startedSeen.tryAcquire(total - failures.get(), 120, TimeUnit.SECONDS);
    reader.close().await();
    List<Long> acks = new ArrayList<>(latencies);
    Collections.sort(acks);
    out.printf(Locale.ROOT, "POST /api/v1/pipelines: %d at %d/s through %d gateway(s) over %.1f s after %d s of"
            + " warm-up; %d failed; ack p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms)%n", total - warm,
        rate, doors.size(), wall - warmup, warmup, failures.get(), pct(acks, 50) / 1e6,
        pct(acks, 99) / 1e6, acks.isEmpty() ? 0 : acks.get(acks.size() - 1) / 1e6);
    if (!byStatus.isEmpty()) {
      out.println("  failed: " + new java.util.TreeMap<>(byStatus));
    }
    List<Long> fromSend = new ArrayList<>(service);
    Collections.sort(fromSend);
    out.printf(Locale.ROOT, "  the same from when each was sent (without the client's own delays): p50 %.1f ms, p99 %.1f ms%n",
        pct(fromSend, 50) / 1e6, pct(fromSend, 99) / 1e6);
    List<Long> toStarted = new ArrayList<>();
    started.forEach((id, at) -> {
      Long dueAt = due.get(id);
      if (dueAt != null) {
        toStarted.add(at.toEpochMilli() - dueAt);
      }
    });
    Collections.sort(toStarted);
    out.printf(Locale.ROOT, "request → pipeline.started: %d of %d seen; p50 %d ms, p95 %d ms, max %d ms"
            + " (target p95 < 500 ms)%n", toStarted.size(), latencies.size(), pct(toStarted, 50), pct(toStarted, 95),
        toStarted.isEmpty() ? 0 : toStarted.get(toStarted.size() - 1));
    ghosts(out, accepted, started.keySet(), "-" + t0, total, byStatus);
    out.flush();
  }

  /**
   * Whether what ran is what was answered: every pipeline that started had its request answered 202, and every 202
   * started (a request refused, or whose connection was closed, must never run).
   */
  private static void ghosts(PrintWriter out, java.util.Set<String> accepted, java.util.Set<String> started,
                             String run, int total, Map<String, Integer> refused) {
    java.util.Set<String> ran = started.stream().filter(id -> id.endsWith(run))
        .collect(java.util.stream.Collectors.toSet());
    long ghosts = ran.stream().filter(id -> !accepted.contains(id)).count();
    long lost = accepted.stream().filter(id -> !ran.contains(id)).count();
    out.printf(Locale.ROOT, "answers and runs: %d sent, %d answered 202, refused %s; %d pipelines ran: %d ghost(s)"
        + " (ran without a 202), %d accepted but not started%n", total, accepted.size(),
        new java.util.TreeMap<>(refused), ran.size(), ghosts, lost);
  }

  /** The same steps as ci-pipeline without image steps, run locally in this JVM, on a fresh copy. */
  private double localSteps(Map<String, String> env, Path into) throws IOException {
    Path copy = copy(corpus.toAbsolutePath().normalize(), into);
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(into.resolve(".garden/store"));
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    long t0 = System.nanoTime();
    for (String[] args : List.of(new String[]{"sync-compose"}, new String[]{"validate"},
        new String[]{"build-registry"}, new String[]{"package-registry"})) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--repo", copy.toString()));
      Main.run(config, env, quiet, quiet, all.toArray(String[]::new));
    }
    double s = seconds(System.nanoTime() - t0);
    out().printf(Locale.ROOT, "local sync-compose, validate, build-registry, package-registry on %s: %.2f s%n",
        corpus, s);
    return s;
  }

  private PrintWriter out() {
    return bench.spec.commandLine().getOut();
  }

  /** A fresh copy of a repository for one run (not what earlier runs left in it). */
  static Path copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IllegalArgumentException("Error: repository folder not found: " + from);
    }
    return ExtensionRepository.copy(from, to);
  }


  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Heap in use after a GC, in MB: what the benches report as a gateway's memory. */
  static long heapAfterGcMb() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
