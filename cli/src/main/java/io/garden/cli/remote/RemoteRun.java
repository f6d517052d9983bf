package io.garden.cli.remote;

import io.garden.common.event.EventPayload;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One command run as a pipeline on a gateway: says where it went first, follows it, prints what the local command
 * would, fetches the artifacts, and answers with the local command's exit code.
 */
public final class RemoteRun {

  private RemoteRun() {
  }

  /**
   * @param progress lines about the pipeline's progress
   * @param reports  prints the command's own report from its result events
   * @return 0 when the pipeline succeeded, 1 otherwise
   */
  public static int run(GatewayClient client, Submission submission, PrintWriter progress,
                        Consumer<EventPayload> reports) {
    return run(client, submission, ProgressDisplay.of(progress, false), reports);
  }

  public static int run(GatewayClient client, Submission submission, ProgressDisplay progress,
                        Consumer<EventPayload> reports) {
    PipelineFollower.Outcome outcome;
    try (progress) {
      client.onReconnect(progress::line).giveUpAfter(java.time.Duration.ofMinutes(10));
      String id = client.submit(submission.json());
      progress.line("pipeline " + id + " submitted to " + client.url() + " (its page: " + client.url() + "/#pipeline="
          + id + ")");
      outcome = new PipelineFollower(client, progress, reports).follow(id, submission.repo().resolve("dist"));
    }
    outcome.artifacts().forEach(p -> progress.line("downloaded " + relative(submission.repo(), p)));
    return outcome.succeeded() ? 0 : 1;
  }

  private static Path relative(Path repo, Path file) {
    return file.startsWith(repo) ? repo.relativize(file) : file;
  }
}
