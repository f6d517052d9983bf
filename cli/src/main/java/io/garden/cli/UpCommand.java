package io.garden.cli;

import io.garden.common.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code garden up}: the whole pipeline in one process on embedded defaults. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Run the whole pipeline in one process.",
        "",
        "Starts a Kafka broker (embedded unless KAFKA_BOOTSTRAP_SERVERS is set), creates its topics and runs",
        "every worker until Ctrl+C. Send requests with `garden demo` or any Kafka producer."})
final class UpCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Mixin
  RepoOption repo;

  @Option(names = "--check", description = "Start everything, report, stop and exit (a smoke test).")
  boolean check;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = parent.spec.commandLine().getOut();
    var root = repo.root();
    try (GardenNode node = GardenNode.start(parent.config(), out)) {
      out.println("Kafka at " + node.bootstrapServers() + "; topics ready: " + String.join(", ", Topics.names()));
      out.println("Workers running: " + String.join(", ", node.workers()));
      out.println("Repository: " + root);
      if (check) {
        out.println("garden up --check: OK");
        return ExitCodes.OK;
      }
      out.println("Garden is up. Press Ctrl+C to stop.");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
      return ExitCodes.OK;
    }
  }
}
