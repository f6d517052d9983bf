package io.garden.cli;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.SyncFinished;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateFinished;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.ValidateStep;
import io.garden.common.event.StepName;
import io.garden.common.event.FailureKind;
import io.garden.common.kafka.Topics;
import io.vertx.core.Promise;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code garden demo}: garden up, one pipeline through Kafka, its events printed as they arrive. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start the pipeline on embedded defaults, send one request through Kafka (check the appgarden files,",
        "then validate every extension of the repository), print the events as they arrive, and stop.",
        "Exit code 0 when everything passed, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the pipeline to finish (default: 120).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = parent.spec.commandLine().getOut();
    var root = repo.root();
    EventCodec codec = EventCodec.shared();
    try (GardenNode node = GardenNode.start(parent.config(), out)) {
      String pipelineId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
      Promise<Boolean> done = Promise.promise();
      KafkaConsumer<String, byte[]> tail = KafkaConsumer.create(node.vertx(),
          GardenNode.settings(node.bootstrapServers(), parent.config(), "garden-demo").consumer("demo-" + pipelineId));
      tail.handler(record -> {
        Envelope e = codec.decode(record.value());
        if (pipelineId.equals(e.pipelineId())) {
          out.println(describe(e, codec.payload(e)));
          out.flush();
          // The validate step's own end closes the demo; any other failed step ends it early.
          EventPayload payload = codec.payload(e);
          if (payload instanceof StepFinished finished && finished.step() == StepName.VALIDATE) {
            done.tryComplete(true);
          } else if (payload instanceof StepFailed failed) {
            if (failed.step() == StepName.VALIDATE || failed.errorKind() != FailureKind.FINDINGS) {
              done.tryComplete(false);
            }
          }
        }
      });
      tail.subscribe(Topics.EVENTS).await();
      KafkaProducer<String, byte[]> producer = KafkaProducer.create(node.vertx(),
          GardenNode.settings(node.bootstrapServers(), parent.config(), "garden-demo").producer());
      ValidateRequested request = new ValidateRequested(SourceRef.local(root.toString()), Targets.all(),
          List.of(ValidateStep.CHECK, ValidateStep.VALIDATE));
      out.println("→ " + Topics.VALIDATE_REQUESTS + ": check + validate " + root + " (pipeline " + pipelineId + ")");
      producer.send(KafkaProducerRecord.create(Topics.VALIDATE_REQUESTS, pipelineId,
          codec.encode(request, new EventContext(pipelineId, pipelineId, System.getProperty("user.name"),
              "garden-demo@" + parent.config().host())))).await();
      boolean passed;
      try {
        passed = done.future().toCompletionStage().toCompletableFuture()
            .get(Duration.ofSeconds(timeoutSeconds).toSeconds(), TimeUnit.SECONDS);
      } finally {
        // Close our clients while the broker is still there, or they complain about it going away.
        tail.close().await();
        producer.close().await();
      }
      out.println(passed ? "Pipeline passed." : "Pipeline finished with findings.");
      return passed ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }

  private static String describe(Envelope e, EventPayload payload) {
    String head = "← " + e.type() + " from " + e.source() + ": ";
    if (payload instanceof SyncFinished s) {
      return head + s.results().size() + " extension(s), " + (s.passed() ? "all up to date" : "some stale");
    }
    if (payload instanceof ValidateFinished v) {
      StringBuilder text = new StringBuilder(head + v.extensions() + " extension(s), " + v.errors() + " error(s), "
          + v.warnings() + " warning(s)");
      v.results().forEach(r -> {
        text.append("\n   ").append(r.passed() ? "✅ " : "❌ ").append(r.extension());
        r.findings().forEach(f -> text.append("\n      - ").append(f.isError() ? "" : "warning: ").append(f.text()));
      });
      return text.toString();
    }
    if (payload instanceof StepFinished f) {
      return head + f.step() + " — " + f.summary() + " (" + f.durationMs() + " ms)";
    }
    if (payload instanceof StepFailed f) {
      return head + f.step() + " — " + f.reason();
    }
    return head + e.data();
  }
}
