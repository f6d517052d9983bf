package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.GardenCommand;
import io.garden.cli.GardenNode;

import io.garden.common.config.GardenConfig;
import io.garden.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code garden bench webhooks}: signed GitHub push deliveries at a fixed rate, every second one a redelivery of the
 * one before, against a gateway and coordinator in this process (embedded broker; no workers, so the pipelines
 * wait at their first step: the intake is what is measured, with the coordinator planning every pipeline beside it).
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
    description = {
        "Start a gateway and a coordinator in this process on a git copy of examples/extensions, then send signed",
        "GitHub push deliveries at a fixed rate (open loop: latency counts from when a delivery was due), every",
        "second one a redelivery of the one before. Prints acknowledgement latency and checks that the",
        "redeliveries started nothing."})
final class BenchWebhooks implements Callable<Integer> {

  @ParentCommand
  BenchCommand bench;

  @Option(names = "--rate", defaultValue = "200", description = "Deliveries per second, half of them redeliveries"
      + " (default: 200).")
  int rate;

  @Option(names = "--duration", defaultValue = "60", description = "Seconds of measured load (default: 60).")
  int duration;

  @Option(names = "--warmup", defaultValue = "10", description = "Seconds of the same load first, not measured"
      + " (default: 10).")
  int warmup;

  @Option(names = "--examples", paramLabel = "PATH", defaultValue = "examples/extensions",
      description = "The repository pushed to (copied into a git repository first; default: examples/extensions).")
  Path examples;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    GardenCommand root = bench.root();
    Path work = Files.createTempDirectory("garden-bench-webhooks");
    Path repo = BenchGateway.copy(examples.toAbsolutePath().normalize(), work.resolve("repo"));
    String commit = gitCommit(repo);
    String url = repo.toUri().toString().replaceFirst("^file:/(?!/)", "file:///");
    byte[] secretBytes = new byte[24];
    new SecureRandom().nextBytes(secretBytes);
    String secret = HexFormat.of().formatHex(secretBytes);
    Map<String, String> env = new HashMap<>(root.env());
    env.put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock"));
    env.put("GARDEN_ALLOWED_REPOS", url);
    env.put("GARDEN_SOURCE_CACHE", work.resolve("sources").toString());
    env.put("GARDEN_GITHUB_WEBHOOK_SECRET", secret);
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(work.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0);
    try (GardenNode node = GardenNode.start(env, config, gateway, new PrintWriter(Writer.nullWriter()),
        EnumSet.of(GardenNode.Role.GATEWAY))) {
      out.printf(Locale.ROOT, "gateway and coordinator up (%s); cores: %d%n", String.join(", ", node.components()),
          Runtime.getRuntime().availableProcessors());
      out.flush();
      load(out, node, secret, url, commit);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void load(PrintWriter out, GardenNode node, String secret, String url, String commit) throws Exception {
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(URI.create(node.url()).getPort()), new PoolOptions().setHttp1MaxSize(64));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    Set<String> newIds = ConcurrentHashMap.newKeySet();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    int warm = rate * warmup;
    int total = warm + rate * duration;
    CountDownLatch answered = new CountDownLatch(total);
    long periodNanos = 1_000_000_000L / rate;
    AtomicInteger sent = new AtomicInteger();
    String[] previous = new String[2];
    long t0 = System.nanoTime();
    clientVertx.setPeriodic(1, tick -> {
      while (sent.get() < total && t0 + sent.get() * periodNanos <= System.nanoTime()) {
        int n = sent.getAndIncrement();
        long dueAt = t0 + n * periodNanos;
        // Odd deliveries repeat the one before, as a sender retrying after a timeout would.
        if (n % 2 == 0) {
          previous[0] = UUID.randomUUID().toString();
          previous[1] = pushBody(url, commit, n);
        }
        String delivery = previous[0];
        String body = previous[1];
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        http.request(HttpMethod.POST, "/webhooks/github")
            .compose(request -> request.putHeader("Content-Type", "application/json")
                .putHeader("X-GitHub-Event", "push").putHeader("X-GitHub-Delivery", delivery)
                .putHeader("X-Hub-Signature-256", signature).send(body))
            .compose(response -> response.body().map(b -> new Object[] {response.statusCode(), b.toString()}))
            .onComplete(result -> {
              int status = result.succeeded() ? (int) result.result()[0] : 0;
              if (status == 202 || status == 200) {
                (status == 202 ? accepted : duplicates).incrementAndGet();
                if (status == 202) {
                  newIds.add((String) result.result()[1]);
                }
                if (n >= warm) {
                  latencies.add(System.nanoTime() - dueAt);
                }
              } else {
                failures.incrementAndGet();
              }
              answered.countDown();
            });
      }
    });
    answered.await(warmup + duration + 120L, TimeUnit.SECONDS);
    clientVertx.close().await();
    double wall = BenchGateway.seconds(System.nanoTime() - t0);
    List<Long> acks = new ArrayList<>(latencies);
    Collections.sort(acks);
    out.printf(Locale.ROOT, "POST /webhooks/github: %d at %d/s over %.1f s after %d s of warm-up; %d failed; ack"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms)%n", total - warm, rate, wall - warmup,
        warmup, failures.get(), BenchGateway.pct(acks, 50) / 1e6, BenchGateway.pct(acks, 99) / 1e6,
        acks.isEmpty() ? 0 : acks.get(acks.size() - 1) / 1e6);
    out.printf(Locale.ROOT, "  %d deliveries started a pipeline (%d distinct ids), %d redeliveries answered with the"
        + " first one's id (expected %d and %d)%n", accepted.get(), newIds.size(), duplicates.get(), (total + 1) / 2,
        total / 2);
    out.flush();
  }

  /** A push of one tool's file to a branch of its own (so no push supersedes another); {@code n} makes it unique. */
  private static String pushBody(String url, String commit, int n) {
    return "{\"ref\":\"refs/heads/bench-" + n + "\",\"before\":\"" + "0".repeat(40) + "\",\"after\":\"" + commit
        + "\",\"created\":false,\"deleted\":false,\"forced\":false,\"repository\":{\"full_name\":\"bench/extensions\","
        + "\"clone_url\":\"" + url + "\"},\"pusher\":{\"name\":\"bench\"},\"commits\":[{\"id\":\"" + commit
        + "\",\"added\":[],\"removed\":[],\"modified\":[\"tools/tool-websearch/kamiwaza.json\"]}]}";
  }

  private static String gitCommit(Path repo) throws IOException, InterruptedException {
    run(repo, "git", "init", "--quiet", "-b", "main");
    run(repo, "git", "add", "-A");
    run(repo, "git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "--quiet", "-m",
        "bench");
    return run(repo, "git", "rev-parse", "HEAD").strip();
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
