package io.garden.cli;

import io.garden.cli.remote.GatewayClient;
import io.garden.common.event.PlannedDecision;
import io.garden.common.release.Release;
import io.garden.common.release.ReleaseHistory;
import io.garden.registry.RegistryOperations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A stage's release history and the way back to one of its releases, both read from the audit stream through the
 * gateway: every publish, promote, unpublish and restore is there with who asked for it and what it changed, from
 * whatever machine it ran on; a checkout's own files know only its own.
 */
final class ReleaseCommands {

  private ReleaseCommands() {
  }

  /** Every release of the audit stream folded: read from its beginning to now through {@code client}. */
  static ReleaseHistory read(GatewayClient client, String since) {
    ReleaseHistory history = new ReleaseHistory();
    String query = "type=" + URLEncoder.encode(String.join(",", ReleaseHistory.TYPES.stream().sorted().toList()),
        StandardCharsets.UTF_8) + "&since=" + (since == null ? "0" : URLEncoder.encode(since, StandardCharsets.UTF_8)); // 0: the beginning
    client.follow(query, event -> {
      history.accept(event);
      return false;
    }, () -> true);
    return history;
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = {"List every release of a stage, oldest first (from the audit stream, through GARDEN_URL).",
          "Each publish, promote, unpublish and restore that ran (dry runs are not releases): when, who asked",
          "for it, what it changed, and the backup of the index it replaced.",
          "Roll back to one with: garden rollback --stage STAGE --to ID"})
  static final class History extends PipelineCommands.OnGateway {

    @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "dev", description = "dev (default), stage or"
        + " prod.")
    String stage;

    @Option(names = "--extension", paramLabel = "NAME", description = "Only releases that changed this extension"
        + " (its name as published).")
    String extension;

    @Option(names = "--since", paramLabel = "TIME", description = "Only releases since this ISO time (default: the"
        + " whole audit stream, kept GARDEN_EVENTS_RETENTION_DAYS).")
    String since;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default) or"
        + " json (an array, oldest first).")
    String format;

    @Override
    public Integer call() {
      OutputFormat.check(format, "text", "json");
      stage = io.garden.common.model.Stage.parse(stage).id();
      if (since != null) {
        PipelineCommands.AuditReader.time("--since", since);
      }
      List<Release> releases = read(client(), since).releases(stage, extension);
      PrintWriter out = out();
      if (format.equals("json")) {
        out.println(io.garden.common.event.EventCodec.shared().mapper().valueToTree(releases.stream()
            .map(Release::asMap).toList()).toString());
      } else if (releases.isEmpty()) {
        out.println("No releases on " + stage + (extension == null ? "" : " that changed " + extension)
            + " in the audit stream.");
      } else {
        releases.forEach(r -> out.println(line(r)));
      }
      out.flush();
      return ExitCodes.OK;
    }

    static String line(Release r) {
      String what = r.failure() != null ? "FAILED: " + r.failure()
          : !r.written() ? "nothing to change"
          : r.changes().stream().map(History::change).collect(Collectors.joining(", "));
      String yanked = r.reason() == null ? "" : "  [yanked: " + r.reason() + "]";
      String approved = r.emergency() != null ? "  [EMERGENCY by " + String.join(", ", r.approvers()) + ": "
          + r.emergency() + "]" : r.approvers().isEmpty() ? "" : "  [approved by " + String.join(", ", r.approvers())
          + "]";
      return String.format(java.util.Locale.ROOT, "%s  %-28s %-9s %-20s %s%s%s%s", r.time(), r.id(), r.action(),
          r.requester(), what, r.backupStamp() == null ? "" : "  (backup " + r.backupStamp() + ")", yanked, approved);
    }

    private static String change(PlannedDecision d) {
      String verb = d.action().toLowerCase(java.util.Locale.ROOT);
      String replaced = d.replaces().isEmpty() ? "" : " (was " + String.join(", ", d.replaces()) + ")";
      // Each image by the start of its digest: enough to tell two builds of one version apart at a glance.
      String images = d.images().isEmpty() ? "" : " {" + d.images().stream()
          .map(i -> i.substring(i.lastIndexOf('@') + 1, Math.min(i.length(), i.lastIndexOf('@') + 20)))
          .collect(Collectors.joining(", ")) + "}";
      return verb + " " + d.name() + " " + (d.version() == null ? "" : d.version()) + replaced + images;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = {"Put a stage's index back as one of its releases (see garden history) left it.",
          "It restores the backup the release after it took, as a restore on the gateway (GARDEN_URL), with its",
          "lock, decision table and audit; --dry-run prints what it would change."})
  static final class Rollback extends RegistryCommands.Restore {

    @Option(names = "--to", paramLabel = "ID", required = true, description = "The release (a pipeline id from"
        + " garden history) whose index to put back.")
    String to;

    @Override
    Optional<Integer> runRemotely(Path root) {
      GatewayClient client = remote.client().orElse(null);
      if (client == null) {
        return Optional.empty();
      }
      String stage = stageOptions.stage().id();
      ReleaseHistory.Rollback plan = read(client, null).rollbackTo(stage, to);
      if (plan instanceof ReleaseHistory.Rollback.Refused refused) {
        throw new IllegalArgumentException("Error: cannot roll " + stage + " back to " + to + ": "
            + refused.reason());
      }
      if (plan instanceof ReleaseHistory.Rollback.AlreadyThere) {
        out().println(stage + "'s index is as " + to + " left it: no release wrote it since. Nothing to do.");
        return Optional.of(ExitCodes.OK);
      }
      ReleaseHistory.Rollback.Restore restore = (ReleaseHistory.Rollback.Restore) plan;
      out().println("Rolling " + stage + " back to " + to + ": restoring backup " + restore.backupStamp()
          + " (taken by " + restore.next().id() + ", the release after it)");
      backup = restore.backupStamp();
      return super.runRemotely(root);
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      throw new IllegalArgumentException("Error: rollback reads the release history from the audit stream: set"
          + " GARDEN_URL (and GARDEN_API_TOKEN) to the gateway, or use restore-registry --backup STAMP here");
    }
  }
}
