package io.garden.cli;

import io.garden.cli.remote.GatewayClient;
import io.garden.cli.remote.ProgressDisplay;
import io.garden.cli.remote.RemoteRun;
import io.garden.cli.remote.Submission;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code garden ci-pipeline}: the whole pipeline, through Kafka, locally or on a gateway. */
@Command(name = "ci-pipeline", mixinStandardHelpOptions = true,
    description = {
        "Run the whole pipeline through Kafka, as `make ci-pipeline` did.",
        "",
        "Run the whole pipeline: build-all, test-all, sync-compose, validate, build-registry, package-registry",
        "(with --push, the images are pushed after validate, before the registry is built, so the index and the",
        "package pin what was pushed; --publish publishes last), as `make ci-pipeline` did.",
        "",
        "Without GARDEN_URL it starts the system in this process (embedded Kafka, every worker) and sends one",
        "pipeline through it; with GARDEN_URL (or --remote) it submits to that gateway. Either way it shows each",
        "step as it runs, puts the registry tarball in dist/, and exits 0 when the pipeline succeeded, 1 if not.",
        "Without a container engine, build, test and push are skipped (and said so); under CI=true that fails",
        "instead, unless --allow-no-engine."})
final class CiPipelineCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Mixin
  TargetArgs target;

  @Mixin
  StageOptions stageOptions;

  @Option(names = "--push", description = "Push the images for the stage once validated, before the registry is built.")
  boolean push;

  @Option(names = "--publish", description = "Publish the registry for the stage at the end.")
  boolean publish;

  @Option(names = "--steps", split = ",", paramLabel = "STEP", description = "Run only these steps (comma-separated:"
      + " build, test, sync-compose, check, validate, push, build-registry, package-registry, publish-registry).")
  List<String> steps;

  @Option(names = "--allow-no-engine", description = "Under CI=true, run even without a container engine (build,"
      + " test and push are then skipped); without it such a run fails instead of passing unchecked.")
  boolean allowNoEngine;

  @Mixin
  RemoteOption remote;

  @Override
  public Integer call() {
    PrintWriter out = parent.spec.commandLine().getOut();
    Path root = repo.root();
    if (!remote.active()) {
      Optional<String> unchecked = uncheckedInCi();
      if (unchecked.isPresent()) {
        parent.spec.commandLine().getErr().println(unchecked.get());
        return ExitCodes.FINDINGS;
      }
    }
    Submission submission = new Submission(root, steps(), targets(root), stageOptions.stage().id(),
        new PipelineOptions(false, false, false, push, publish, null, null));
    Optional<GatewayClient> client = remote.client();
    if (client.isPresent()) {
      return RemoteRun.run(client.get(), submission, display(out), payload -> { });
    }
    NodeOptions local = new NodeOptions();
    local.port = 0;
    local.repos = List.of(root);
    // Start-up chatter is only worth showing when something goes wrong.
    StringWriter startup = new StringWriter();
    out.println("Starting garden in this process (embedded Kafka, workers, coordinator)...");
    out.flush();
    try (GardenNode node = GardenNode.start(parent.env(), local.config(parent.config()),
        local.gateway(parent.env(), 0), new PrintWriter(startup))) {
      startup.toString().lines().filter(l -> l.startsWith("no container engine")).forEach(out::println);
      GatewayClient inProcess = new GatewayClient(node.url(), node.token());
      return RemoteRun.run(inProcess, submission, display(out), payload -> { });
    }
  }

  /**
   * A CI job whose machine has no engine would pass without building or testing a single image: under
   * {@code CI=true} that is a failure unless asked for ({@code --allow-no-engine}). At a terminal the skip is said and
   * the run goes on, as on a laptop without Docker.
   */
  private Optional<String> uncheckedInCi() {
    boolean ci = "true".equalsIgnoreCase(String.valueOf(parent.env().get("CI")).trim());
    boolean imageSteps = steps().stream().anyMatch(s -> s == StepName.CI_PIPELINE || s.needsEngine());
    if (!ci || allowNoEngine || !imageSteps) {
      return Optional.empty();
    }
    String absent = io.garden.common.engine.EngineProbe.absence(parent.config().dockerHost());
    return absent == null ? Optional.empty() : Optional.of("Error: " + absent + " (CI=true): build, test and push"
        + " would be skipped and the pipeline would pass unchecked. Start an engine (scripts/container-engine.sh"
        + " start, then DOCKER_HOST=...), or pass --allow-no-engine to run the other steps anyway");
  }

  private ProgressDisplay display(PrintWriter out) {
    return ProgressDisplay.of(out, ProgressDisplay.isTerminal(parent.env()));
  }

  private List<StepName> steps() {
    if (steps == null || steps.isEmpty()) {
      return List.of(StepName.CI_PIPELINE);
    }
    List<StepName> named = new ArrayList<>();
    for (String step : steps) {
      try {
        named.add(StepName.parse(step.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Error: " + e.getMessage());
      }
    }
    return named;
  }

  private Targets targets(Path root) {
    return RemoteOption.targets(target, root);
  }
}
