package io.garden.cli;

import io.garden.cli.remote.GatewayClient;
import io.garden.cli.remote.RemoteRun;
import io.garden.cli.remote.Submission;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code --remote URL} (or {@code GARDEN_URL}): run the command as a pipeline on a gateway instead of here. The
 * command's own report still goes to stdout, built from the pipeline's result events; progress goes to stderr, so
 * a script reading stdout sees what local mode prints.
 */
public final class RemoteOption {

  @Option(names = "--remote", paramLabel = "URL",
      description = "Run on the gateway at URL as a pipeline (default: GARDEN_URL; token: GARDEN_API_TOKEN).")
  String url;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The gateway to use, or empty to run locally. */
  Optional<GatewayClient> client() {
    return root().remote().client(url);
  }

  /** True when this run goes to a gateway. */
  boolean active() {
    return url != null || root().remote().url().isPresent();
  }

  /**
   * Submits the steps for {@code targets}, follows the pipeline and answers with the local command's exit code.
   *
   * @param reports prints the command's report from its result events, as local mode would
   */
  int run(Path repo, List<StepName> steps, Targets targets, String stage, PipelineOptions options,
          Consumer<EventPayload> reports) {
    return submit(new Submission(repo, steps, targets, stage, options), command.commandLine().getErr(), reports);
  }

  /**
   * For commands whose local output is progress itself (build, test, push, the registry commands): the pipeline's
   * progress lines go to stdout.
   */
  int run(Path repo, List<StepName> steps, Targets targets, String stage, PipelineOptions options) {
    return runToStdout(repo, steps, targets, stage, options, payload -> { });
  }

  /** The same, with the command's report from its result events on stdout too (a publish's decision table). */
  int runToStdout(Path repo, List<StepName> steps, Targets targets, String stage, PipelineOptions options,
                  Consumer<EventPayload> reports) {
    return submit(new Submission(repo, steps, targets, stage, options), command.commandLine().getOut(), reports);
  }

  private int submit(Submission submission, java.io.PrintWriter progress, Consumer<EventPayload> reports) {
    int code = RemoteRun.run(client().orElseThrow(), submission, progress, reports);
    command.commandLine().getOut().flush();
    return code;
  }

  /** The targets a TYPE NAME pair (or none) stands for, as a pipeline request names them. */
  static Targets targets(TargetArgs target, Path repo) {
    if (!target.isNamed()) {
      return Targets.all();
    }
    List<ExtensionRef> chosen = target.resolve(new ExtensionDiscovery(repo));
    return Targets.of(chosen.stream().map(ExtensionRef::id).toList());
  }

  private GardenCommand root() {
    return (GardenCommand) command.root().userObject();
  }
}
