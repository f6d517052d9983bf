package io.garden.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft, combined broker + controller) on loopback, for {@code garden up} and the
 * integration tests.
 *
 * <p>It runs as a child JVM from the Kafka jars on our own classpath: that keeps the broker's threads, heap and
 * logging apart from the application while needing nothing but Maven Central, and it is closer to production
 * than an in-process server. The log folder is temporary and deleted on {@link #close()}, unless the broker was
 * started in a folder of the caller's ({@link #startIn}), which keeps its data across restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path workDir;
  private final boolean kept;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;

  private EmbeddedKafka(Path workDir, boolean kept, int port, Process process) {
    this.workDir = workDir;
    this.kept = kept;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(this::stopQuietly, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Formats a fresh, temporary log folder, starts the broker and returns once its admin API answers. */
  public static EmbeddedKafka start() {
    Path dir;
    try {
      dir = Files.createTempDirectory("garden-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the Kafka broker", e);
    }
    return start(dir, false);
  }

  /**
   * Starts the broker on the log folder {@code dir}, formatting it only the first time: topics, offsets and the
   * audit log survive a restart ({@code garden up --data-dir}). The folder is kept on {@link #close()}.
   */
  public static EmbeddedKafka startIn(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Kafka folder " + dir + ": " + e.getMessage(), e);
    }
    return start(dir, true);
  }

  private static EmbeddedKafka start(Path dir, boolean kept) {
    try {
      int[] ports = kept ? keptPorts(dir) : twoFreePorts();
      int port = ports[0];
      int controllerPort = ports[1];
      Path properties = writeProperties(dir, port, controllerPort);
      if (!kept || !Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
        format(dir, properties);
      }
      Process process = javaProcess(dir, "kafka.Kafka", properties.toString())
          .redirectOutput(dir.resolve("broker.log").toFile())
          .start();
      EmbeddedKafka kafka = new EmbeddedKafka(dir, kept, port, process);
      kafka.awaitReady();
      LOG.info("Kafka broker answering on {}", kafka.bootstrapServers());
      return kafka;
    } catch (IOException e) {
      cleanUp(dir, kept);
      throw new UncheckedIOException("cannot start the Kafka broker", e);
    } catch (RuntimeException e) {
      cleanUp(dir, kept);
      throw e;
    }
  }

  /** A temporary folder goes; a kept one stays, whatever happened (it holds the history). */
  private static void cleanUp(Path dir, boolean kept) {
    if (!kept) {
      deleteRecursively(dir);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or has run; nothing left to unregister.
    }
  }

  private synchronized void stopQuietly() {
    if (process.isAlive()) {
      // SIGTERM lets the broker shut down its log cleanly; force only if it hangs.
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    cleanUp(workDir, kept);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Map<String, Object> config = Map.of(
        "bootstrap.servers", bootstrapServers(),
        "request.timeout.ms", "2000",
        "default.api.timeout.ms", "3000",
        "reconnect.backoff.max.ms", "500");
    try (Admin admin = Admin.create(config)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
              + " while starting; its log ends with:\n" + tail(workDir.resolve("broker.log")));
        }
        try {
          admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            stopQuietly();
            throw new IllegalStateException("the Kafka broker did not answer within " + START_TIMEOUT.toSeconds()
                + " s; its log ends with:\n" + tail(workDir.resolve("broker.log")));
          }
        }
      }
    }
  }

  private static Path writeProperties(Path dir, int port, int controllerPort) throws IOException {
    String text = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("logs"),
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "num.partitions=1",
        "");
    Path file = dir.resolve("server.properties");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void format(Path dir, Path properties) throws IOException {
    Process format = javaProcess(dir, "kafka.tools.StorageTool",
        "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString())
        .redirectOutput(dir.resolve("format.log").toFile())
        .start();
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka log folder failed:\n" + tail(dir.resolve("format.log")));
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka log folder", e);
    }
  }

  private static ProcessBuilder javaProcess(Path dir, String mainClass, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        "-Xms128m", "-Xmx512m",
        // The broker lives as long as a test run or a `garden up`: fast start matters more than peak speed.
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Djava.awt.headless=true",
        // Through the same logging backend as every service, in their format, quiet unless something is wrong.
        "-Dlogback.configurationFile=garden-broker-logback.xml",
        "-cp", brokerClasspath(),
        mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
  }

  /** The broker runs from the Kafka jars on our classpath; GARDEN_KAFKA_CLASSPATH overrides it (e.g. a Kafka dist). */
  private static String brokerClasspath() {
    String override = System.getenv("GARDEN_KAFKA_CLASSPATH");
    if (override != null && !override.isBlank()) {
      return override;
    }
    return System.getProperty("java.class.path");
  }

  /**
   * A kept broker answers where it did before when it can, so clients that outlived it (a test's, a tail's)
   * reconnect to it; new ports when those are taken now.
   */
  private static int[] keptPorts(Path dir) throws IOException {
    Path file = dir.resolve("ports");
    if (Files.isRegularFile(file)) {
      String[] saved = Files.readString(file).trim().split(",");
      try {
        int[] ports = {Integer.parseInt(saved[0]), Integer.parseInt(saved[1])};
        if (isFree(ports[0]) && isFree(ports[1])) {
          return ports;
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException unreadable) {
        // Written by us; if it is not ours any more, new ports do.
      }
    }
    int[] ports = twoFreePorts();
    Files.writeString(file, ports[0] + "," + ports[1]);
    return ports;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /**
   * Two different free ports, for the client and controller listeners. Both sockets are held open while the second
   * is picked: asked one after the other, the system can hand out the same port twice, which the broker refuses.
   */
  private static int[] twoFreePorts() throws IOException {
    try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      first.setReuseAddress(true);
      second.setReuseAddress(true);
      return new int[] {first.getLocalPort(), second.getLocalPort()};
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      LOG.warn("could not delete the Kafka work folder {}: {}", dir, e.getMessage());
    }
  }
}
