package io.garden.validate.worker;

import io.garden.common.ExamplesRepo;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.SourceRef;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateFinished;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.ValidateStep;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validate-worker service scaled out: three separate JVMs ({@code io.garden.validate.Main}, as the image runs
 * it) in one consumer group share the requests; one stopped mid-way (SIGTERM, as an orchestrator stops it) hands
 * its partitions and the records it had not finished to the others, and every request is answered exactly once.
 */
@ExtendWith(KafkaBroker.class)
class ValidateScaleOutIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final int REQUESTS = 12;

  /** One worker process and everything it printed. */
  record Worker(String host, Process process, List<String> output) {
    boolean started() {
      return output.stream().anyMatch(line -> line.contains("validate-worker started"));
    }

    String source() {
      return ValidateWorkerVerticle.GROUP + "@" + host;
    }
  }

  private final List<Worker> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (Worker worker : workers) {
      worker.process().destroy();
    }
    for (Worker worker : workers) {
      if (!worker.process().waitFor(60, TimeUnit.SECONDS)) {
        worker.process().destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("three validate-worker JVMs share 12 requests; one stopped mid-way hands its work over; each is"
      + " answered once")
  void threeWorkersShareAndOneLeaves() throws Exception {
    launchAll("scale-a", "scale-b", "scale-c");

    Vertx vertx = Vertx.vertx();
    KafkaSettings client = new KafkaSettings(KafkaBroker.bootstrapServers(), "scale-it", "it");
    try (Admin admin = Admin.create(client.admin());
         EventTail events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS)) {
      int partitions = eachHoldsAPartition(admin);

      KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, client.producer());
      List<String> pipelines = new ArrayList<>();
      try {
        for (int i = 0; i < REQUESTS; i++) {
          String id = "scale-" + i + "-" + UUID.randomUUID();
          pipelines.add(id);
          producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, id, request(id), null, i % partitions))
              .await();
        }
      } finally {
        producer.close().await();
      }

      Worker leaving = workers.get(0);
      Awaitility.await("the first worker has answered a request").atMost(Duration.ofSeconds(90))
          .until(() -> answers(events, pipelines).values().stream().flatMap(List::stream)
              .anyMatch(e -> e.source().equals(leaving.source())));
      // SIGTERM through the handle: Process.destroy() would also close our end of its output, losing its last words.
      leaving.process().toHandle().destroy();
      assertThat(leaving.process().waitFor(60, TimeUnit.SECONDS)).as("stopped within its grace").isTrue();

      Awaitility.await("every request answered").atMost(Duration.ofSeconds(120))
          .until(() -> answers(events, pipelines).values().stream().noneMatch(List::isEmpty));
      Awaitility.await("the two left hold every partition").atMost(Duration.ofSeconds(60)).until(() -> {
        Map<String, Integer> held = assignment(admin);
        return held.size() == 2 && held.values().stream().mapToInt(Integer::intValue).sum() == partitions;
      });

      Map<String, List<Envelope>> answers = answers(events, pipelines);
      assertThat(answers.values()).as("each request answered exactly once").allSatisfy(list ->
          assertThat(list).hasSize(1));
      Set<String> sources = answers.values().stream().map(list -> list.get(0).source()).collect(Collectors.toSet());
      assertThat(sources).as("the work was shared").hasSizeGreaterThanOrEqualTo(2)
          .isSubsetOf(workers.stream().map(Worker::source).toList());
      // Its last words may still be on their way through the pipe.
      Awaitility.await("the stopped worker said it stopped cleanly").atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(leaving.output()).anyMatch(line -> line.contains("validate-worker stopped")));
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a worker killed with SIGKILL: the requests on its partitions are answered by the other within"
      + " seconds, not after Kafka's 45 s default")
  void killedWorkersPartitionsAreTakenOverFast() throws Exception {
    launchAll("kill-a", "kill-b");
    Vertx vertx = Vertx.vertx();
    KafkaSettings client = new KafkaSettings(KafkaBroker.bootstrapServers(), "kill-it", "it");
    try (Admin admin = Admin.create(client.admin());
         EventTail events = new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS)) {
      int partitions = eachHoldsAPartition(admin);

      workers.get(0).process().destroyForcibly();
      long killed = System.nanoTime();
      KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, client.producer());
      List<String> pipelines = new ArrayList<>();
      try {
        for (int i = 0; i < partitions; i++) {
          String id = "kill-" + i + "-" + UUID.randomUUID();
          pipelines.add(id);
          producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, id, request(id), null, i)).await();
        }
      } finally {
        producer.close().await();
      }

      // 6 s of session timeout, a rebalance and a validation; the bound leaves room for a busy CI machine, the
      // figure is in docs/PERFORMANCE.md.
      Awaitility.await("every partition's request answered by the survivor").atMost(Duration.ofSeconds(20))
          .until(() -> answers(events, pipelines).values().stream().noneMatch(List::isEmpty));
      System.out.printf("killed worker's partitions answered %.1f s after SIGKILL%n",
          (System.nanoTime() - killed) / 1e9);
      assertThat(answers(events, pipelines).values()).allSatisfy(list ->
          assertThat(list).extracting(Envelope::source).containsOnly(workers.get(1).source()));
    } finally {
      vertx.close().await();
    }
  }

  private void launchAll(String... hosts) throws IOException {
    for (String host : hosts) {
      workers.add(launch(host));
    }
    Awaitility.await("the workers started").atMost(Duration.ofSeconds(90))
        .until(() -> workers.stream().allMatch(Worker::started));
  }

  /** Waits until every worker holds a request partition; the number of partitions. */
  private int eachHoldsAPartition(Admin admin) throws Exception {
    int partitions = admin.describeTopics(List.of(Topics.VALIDATE_REQUESTS)).allTopicNames().get()
        .get(Topics.VALIDATE_REQUESTS).partitions().size();
    Awaitility.await("each worker holds a partition").atMost(Duration.ofSeconds(90)).until(() -> {
      Map<String, Integer> held = assignment(admin);
      return held.size() == workers.size() && held.values().stream().allMatch(n -> n >= 1);
    });
    return partitions;
  }

  private Worker launch(String host) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.garden.validate.Main").redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("GARDEN_"));
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("GARDEN_HOST", host);
    env.put("GARDEN_HEALTH_PORT", "0");
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        lines.lines().forEach(output::add);
      } catch (IOException ended) {
        // the process is gone
      }
    }, "output-" + host);
    reader.setDaemon(true);
    reader.start();
    return new Worker(host, process, output);
  }

  private static byte[] request(String pipelineId) {
    ValidateRequested request = new ValidateRequested(SourceRef.local(ExamplesRepo.path().toString()),
        Targets.all(), List.of(ValidateStep.VALIDATE));
    return CODEC.encode(request, new EventContext(pipelineId, pipelineId, "it", "it@test"));
  }

  /** Each pipeline → the validate.finished events answering it. */
  private static Map<String, List<Envelope>> answers(EventTail events, List<String> pipelines) {
    Map<String, List<Envelope>> answers = new LinkedHashMap<>();
    pipelines.forEach(id -> answers.put(id, new ArrayList<>()));
    for (Envelope e : events.envelopes()) {
      if (answers.containsKey(e.pipelineId()) && EventTypes.is(e, ValidateFinished.class)) {
        answers.get(e.pipelineId()).add(e);
      }
    }
    return answers;
  }

  /** Member host → how many request partitions it holds, as the broker sees the group. */
  private static Map<String, Integer> assignment(Admin admin) throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(ValidateWorkerVerticle.GROUP))
        .all().get().get(ValidateWorkerVerticle.GROUP);
    return group.members().stream().collect(Collectors.toMap(MemberDescription::clientId,
        m -> (int) m.assignment().topicPartitions().stream()
            .filter(tp -> tp.topic().equals(Topics.VALIDATE_REQUESTS)).count(), Integer::sum));
  }
}
