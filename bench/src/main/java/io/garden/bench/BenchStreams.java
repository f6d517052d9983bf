package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.GardenCommand;
import io.garden.cli.GardenNode;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.kafka.Topics;
import io.garden.gateway.GatewayConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code garden bench streams}: what many event-stream clients cost a gateway. A history of build-progress lines is
 * written to the audit stream, then {@code --clients} clients ask for it from the beginning: half read everything,
 * half never read a byte. Prints how many were taken and refused (503), the heap after a GC, and {@code /health}
 * latency while they are all connected.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
    description = {
        "Open --clients event streams from the beginning of a --history-mb audit stream, half of them never",
        "reading, then print the heap and /health latency (target: p99 < 50 ms, heap bounded)."})
final class BenchStreams implements Callable<Integer> {

  @ParentCommand
  BenchCommand bench;

  @Option(names = "--clients", defaultValue = "200", description = "Event-stream clients (default: 200).")
  int clients;

  @Option(names = "--history-mb", defaultValue = "5", description = "Audit stream to read, in MB (default: 5).")
  int historyMb;

  @Option(names = "--health-samples", defaultValue = "1000", description = "/health requests timed (default: 1000).")
  int samples;

  @Option(names = "--settle-seconds", defaultValue = "45", description = "How long to wait after the clients leave"
      + " before the resident memory is read again, with no GC asked for (default: 45; G1's periodic collection"
      + " runs every 30 s when the JVM is idle).")
  int settleSeconds;

  private static final EventCodec CODEC = EventCodec.shared();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    GardenCommand root = bench.root();
    Path work = Files.createTempDirectory("garden-bench-streams");
    Map<String, String> env = new HashMap<>(root.env());
    env.put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock"));
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(work.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0);
    try (GardenNode node = GardenNode.start(env, config, gateway, new PrintWriter(Writer.nullWriter()),
        java.util.EnumSet.of(GardenNode.Role.GATEWAY))) {
      String marker = writeHistory(node.bootstrapServers());
      out.printf(Locale.ROOT, "history: %d MB of build.progress on %s%n", historyMb, Topics.EVENTS);
      long heapBefore = BenchGateway.heapAfterGcMb();
      long rssBefore = residentMb();

      List<Socket> silent = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger taken = new AtomicInteger();
      CountDownLatch caughtUp = new CountDownLatch(clients / 2);
      URI url = URI.create(node.url());
      for (int i = 0; i < clients; i++) {
        if (i % 2 == 0) {
          Socket socket = silently(url, node.token());
          silent.add(socket);
        } else {
          Thread reader = new Thread(() -> read(url, node.token(), marker, taken, refused, caughtUp), "reader-" + i);
          reader.setDaemon(true);
          reader.start();
          readers.add(reader);
        }
      }
      boolean all = caughtUp.await(120, TimeUnit.SECONDS);
      long heapWith = BenchGateway.heapAfterGcMb();
      long rssWith = residentMb();
      List<Long> health = health(url, samples);
      out.printf(Locale.ROOT, "%d clients from the beginning (%d never read): readers taken %d, refused %d (503),"
              + " %s caught up%n", clients, silent.size(), taken.get(), refused.get(),
          all ? "every taken reader" : (clients / 2 - caughtUp.getCount()) + " of them");
      out.printf(Locale.ROOT, "heap after GC: %d MB before the clients, %d MB with them connected%n", heapBefore,
          heapWith);
      out.printf(Locale.ROOT, "/health while connected (%d requests): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (target: p99 < 50 ms)%n", health.size(), BenchGateway.pct(health, 50) / 1e6,
          BenchGateway.pct(health, 99) / 1e6, health.get(health.size() - 1) / 1e6);
      for (Socket socket : silent) {
        socket.close();
      }
      readers.forEach(Thread::interrupt);
      // What an operator or a container limit sees once the clients are gone: no GC asked for, the JVM left alone.
      Thread.sleep(settleSeconds * 1000L);
      long rssAfter = residentMb();
      out.printf(Locale.ROOT, "resident memory: %d MB before the clients, %d MB with them, %d MB %d s after they"
              + " left (target: within 150 MB of before)%n", rssBefore, rssWith, rssAfter, settleSeconds);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** This process's resident set (VmRSS), in MB; -1 where /proc does not say. */
  static long residentMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException unreadable) {
      // not Linux
    }
    return -1;
  }

  /** Lines of about 1.5 KB, ending with a marker the readers wait for. */
  private String writeHistory(String servers) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", servers);
    props.put("linger.ms", "20");
    props.put("compression.type", "lz4");
    String marker = "end-of-history-" + UUID.randomUUID();
    String line = "x".repeat(1500);
    int count = historyMb * 1024 * 1024 / 1600;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      String pipeline = "bench-streams";
      EventContext context = new EventContext(pipeline, pipeline, "bench", "bench");
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, pipeline,
            CODEC.encode(new BuildProgress("apps/bench", line + i), context)));
      }
      producer.send(new ProducerRecord<>(Topics.EVENTS, pipeline,
          CODEC.encode(new BuildProgress("apps/bench", marker), context)));
      producer.flush();
    }
    return marker;
  }

  /** Asks for the stream from the beginning and never reads the answer. */
  private static Socket silently(URI url, String token) throws Exception {
    Socket socket = new Socket(url.getHost(), url.getPort());
    socket.setReceiveBufferSize(4096);
    OutputStream o = socket.getOutputStream();
    o.write(("GET /api/v1/events?since=0 HTTP/1.1\r\nHost: " + url.getHost() + "\r\nAuthorization: Bearer " + token
        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    o.flush();
    return socket;
  }

  /** Reads the stream from the beginning until the marker; a refusal (503) is counted. */
  private static void read(URI url, String token, String marker, AtomicInteger taken, AtomicInteger refused,
                           CountDownLatch caughtUp) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.resolve("/api/v1/events?since=0").toURL().openConnection();
      c.setRequestProperty("Authorization", "Bearer " + token);
      if (c.getResponseCode() != 200) {
        refused.incrementAndGet();
        caughtUp.countDown();
        return;
      }
      taken.incrementAndGet();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = in.readLine()) != null) {
          if (l.contains(marker)) {
            caughtUp.countDown();
            // keep reading (following live) until the bench ends
          }
        }
      }
    } catch (Exception ended) {
      // the bench closed it
    }
  }

  private static List<Long> health(URI url, int n) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(url.resolve("/health"))
        .timeout(Duration.ofSeconds(10)).build();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
      times.add(System.nanoTime() - t0);
    }
    times.sort(Long::compare);
    return times;
  }

}
