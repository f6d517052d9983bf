package io.garden.cli;

import io.garden.common.images.ImagePins;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Stage;
import io.garden.extension.model.WorkingFiles;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.IndexEntry;
import io.garden.registry.RegistryOperations;
import io.garden.registry.publish.Faults;
import io.garden.registry.publish.LockOwner;
import io.garden.registry.publish.PublishLock;
import io.garden.registry.publish.PublishOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** The registry commands (SPEC §5–7), each a thin shell over {@link RegistryOperations}. */
final class RegistryCommands {

  private RegistryCommands() {
  }

  /**
   * Runs {@code command} with the registry operations of {@code root}: each stage's store opened when first used
   * and closed after, decisions printed to {@code out}, garden's working files kept out of git.
   */
  static int withOperations(GardenCommand parent, Path root, PrintWriter out,
                            java.util.function.ToIntFunction<RegistryOperations> command) {
    WorkingFiles.keepOutOfGit(root).ifPresent(added -> parent.spec.commandLine().getErr().println("garden: "
        + added));
    Map<Stage, ObjectStore> opened = new EnumMap<>(Stage.class);
    try {
      RegistryOperations ops = new RegistryOperations(root,
          stage -> opened.computeIfAbsent(stage, s -> ObjectStores.open(parent.config().store(s), root)),
          Clock.systemUTC(), new RegistryPrinter(out),
          LockOwner.local(parent.config().host(), null, parent.env()),
          Faults.NONE, parent.config().backupKeep(), ImagePins.of(parent.config().imageRegistry()));
      return command.applyAsInt(ops);
    } finally {
      opened.values().forEach(ObjectStore::close);
      out.flush();
    }
  }

  /** Shared set-up: the repository, its per-stage stores and a printer. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand
    GardenCommand parent;

    @Mixin
    RepoOption repo;

    @Mixin
    StageOptions stageOptions;

    PrintWriter out() {
      return parent.spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
      Path root = repo.root();
      Optional<Integer> remotely = runRemotely(root);
      if (remotely.isPresent()) {
        return remotely.get();
      }
      RemoteMode.refuseLocalRun(parent, parent.spec.commandLine().getCommandName(), notOnGatewayHint());
      return withOperations(parent, root, out(), ops -> run(ops, root));
    }

    abstract int run(RegistryOperations ops, Path root);

    /** Runs the command as a pipeline on a gateway when remote mode is on and the command has a pipeline step. */
    Optional<Integer> runRemotely(Path root) {
      return Optional.empty();
    }

    /** What to do instead, for a command a gateway cannot run (said when GARDEN_URL is set). */
    String notOnGatewayHint() {
      return "unset GARDEN_URL to run it here, against this machine's own stores";
    }

    Optional<Integer> runRemotely(RemoteOption remote, Path root, StepName step, Targets targets,
                                  PipelineOptions options) {
      if (!remote.active()) {
        return Optional.empty();
      }
      // The decision table a publish plans is printed as locally; its progress lines go to stdout too.
      RegistryPrinter tables = new RegistryPrinter(out());
      return Optional.of(remote.runToStdout(root, List.of(step), targets, stageOptions.stage().id(), options,
          payload -> {
            if (payload instanceof io.garden.common.event.PublishPlanned) {
              tables.on(payload);
            }
          }));
    }
  }

  /** Options for commands that take the lock. */
  abstract static class Locking extends Base {
    @Mixin
    LockWaitOption lockWaitOption;

    Duration lockWait() {
      return lockWaitOption.lockWait();
    }
  }

  @Command(name = "build-registry", mixinStandardHelpOptions = true,
      description = {"Build the registry for a stage from every extension.", "",
          "Build the registry for a stage into build/kamiwaza-extension-registry/garden/{v2|default}/:",
          "apps.json (apps and services), tools.json and the preview images (images/ in v2,",
          "app-garden-images/ in v1)."})
  static final class Build extends Base {
    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      return runRemotely(remote, root, StepName.BUILD_REGISTRY, Targets.all(), PipelineOptions.defaults());
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      BuiltRegistry built = ops.build(stageOptions.stage(), stageOptions.format());
      built.problems().forEach(f -> out().println((f.isError() ? "   - " : "   - warning: ") + f.extension() + ": "
          + f.text()));
      return built.ok() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }

  @Command(name = "package-registry", mixinStandardHelpOptions = true,
      description = "Package the built registry as dist/kamiwaza-registry-YYYYMMDD-HHMMSS.tar.gz.")
  static final class Package extends Base {
    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      return runRemotely(remote, root, StepName.PACKAGE_REGISTRY, Targets.all(), PipelineOptions.defaults());
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      ops.pack();
      return ExitCodes.OK;
    }
  }

  @Command(name = "publish-registry", mixinStandardHelpOptions = true,
      description = {"Publish the registry to a stage, with version checks.", "",
          "Rebuild for the stage, validate, and publish with version checks under the",
          "publish lock: insert, replace or refuse each entry; one refusal writes nothing."})
  static final class Publish extends Locking {
    @Option(names = "--dry-run", description = "Print the decisions against the current remote; write nothing.")
    boolean dryRun;

    @Option(names = "--force", arity = "2", paramLabel = "TYPE NAME", hideParamSyntax = true,
        description = "Replace every remote entry of this one extension, no version checks. Dev stage; on stage and"
            + " prod only with --emergency.")
    List<String> force;

    @Option(names = "--emergency", description = "Confirms a --force on stage or prod: what users run is replaced"
        + " without a version bump (on a gateway: needs the admin role, and is recorded).")
    boolean emergency;

    @Mixin
    RemoteOption remote;

    /** One --force, with its TYPE and NAME: a second would silently win over the first. */
    private void checkForce() {
      if (force != null && force.size() != 2) {
        throw new IllegalArgumentException("Error: give --force once, as --force TYPE NAME");
      }
      if (emergency && force == null) {
        throw new IllegalArgumentException("Error: --emergency only confirms a --force TYPE NAME");
      }
      if (force != null && stageOptions.stage() != Stage.DEV && !emergency) {
        throw new IllegalArgumentException(io.garden.common.model.ForceGuard.message(stageOptions.stage().id()));
      }
    }

    @Override
    Optional<Integer> runRemotely(Path root) {
      checkForce();
      Targets targets = force == null ? Targets.all() : Targets.of(List.of(new ExtensionDiscovery(root)
          .resolve(ExtensionType.parse(force.get(0)), force.get(1)).id()));
      return runRemotely(remote, root, StepName.PUBLISH_REGISTRY, targets,
          new PipelineOptions(dryRun, force != null, false, false, false, null, null, emergency));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      checkForce();
      Optional<ExtensionRef> forced = Optional.ofNullable(force).map(f ->
          new ExtensionDiscovery(root).resolve(ExtensionType.parse(f.get(0)), f.get(1)));
      if (emergency && stageOptions.stage() != Stage.DEV) {
        out().println("🚨 EMERGENCY: --force on " + stageOptions.stage().id() + " replaces the published entries of "
            + force.get(0) + " " + force.get(1) + " without a version bump");
        out().flush();
      }
      PublishOutcome outcome = ops.publish(stageOptions.stage(), stageOptions.format(), dryRun, forced, lockWait(),
          emergency);
      return outcome.plans().values().stream().anyMatch(p -> p.failed()) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }

  @Command(name = "publish-registry-direct", mixinStandardHelpOptions = true,
      description = {"Replace the remote index with the local one, WITHOUT version checks (the old 'direct sync').",
          "Still under the lock, with a backup and conditional writes."})
  static final class PublishDirect extends Locking {
    @Option(names = "--allow-empty", description = "Publish even when the local registry is empty (this empties the"
        + " stage).")
    boolean allowEmpty;

    @Option(names = "--dry-run", description = "Print what the stage's index would become; write nothing.")
    boolean dryRun;

    @Override
    String notOnGatewayHint() {
      return "a gateway runs version-checked publishes only: use garden publish-registry, or unset GARDEN_URL to"
          + " replace the index from here";
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      out().println("⚠️  WARNING: publish-registry-direct skips every version check: the remote index of "
          + stageOptions.stage().id() + " becomes exactly the local registry. Entries not in it are removed.");
      out().flush();
      ops.publishDirect(stageOptions.stage(), stageOptions.format(), lockWait(), allowEmpty, dryRun);
      return ExitCodes.OK;
    }
  }

  @Command(name = "unpublish", mixinStandardHelpOptions = true,
      description = {"Remove every published entry of NAME (the kamiwaza.json name) from the stage's index.",
          "With --version only that one goes; the others stay installable."})
  static final class Unpublish extends Locking {
    @Parameters(index = "0", paramLabel = "NAME", description = "The entry name to remove.")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "Only this version of NAME (default: every"
        + " version).")
    String version;

    @Option(names = "--dry-run", description = "Print which entries would leave the index; remove nothing.")
    boolean dryRun;

    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      return runRemotely(remote, root, StepName.UNPUBLISH, Targets.all(),
          new PipelineOptions(dryRun, false, false, false, false, name, null, false, null, version));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      PublishOutcome outcome = ops.unpublish(stageOptions.stage(), stageOptions.format(), name, version, lockWait(),
          dryRun);
      if (outcome.count(io.garden.registry.merge.Action.REMOVE) == 0) {
        out().println("Nothing named " + name + (version == null ? "" : " at version " + version)
            + " is published for " + stageOptions.stage().id());
        return ExitCodes.FINDINGS;
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "yank", mixinStandardHelpOptions = true,
      description = {"Withdraw one published version of an extension, saying why (GARDEN_URL).",
          "New installs no longer find it: it leaves the stage's index (the Kamiwaza clients have no 'withdrawn'",
          "marker, and an entry they list they install). Its tombstone - who, when, why, what it was - stays in",
          "garden history; other versions of it stay installable. Existing installs keep their images."})
  static final class Yank extends Locking {
    @Parameters(index = "0", paramLabel = "TYPE", description = "app, service or tool.")
    String type;

    @Parameters(index = "1", paramLabel = "NAME", description = "The extension's published name.")
    String name;

    @Option(names = "--version", paramLabel = "V", required = true, description = "The version to withdraw.")
    String version;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why: kept in the history.")
    String reason;

    @Option(names = "--dry-run", description = "Print which entry would leave the index; remove nothing.")
    boolean dryRun;

    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      if (!java.util.Set.of("app", "service", "tool").contains(type)) {
        throw new IllegalArgumentException("Error: Invalid TYPE '" + type + "'. Must be: app, service, or tool");
      }
      if (reason.isBlank()) {
        throw new IllegalArgumentException("Error: --reason must say why the version is withdrawn");
      }
      return runRemotely(remote, root, StepName.UNPUBLISH, Targets.all(),
          PipelineOptions.yank(dryRun, name, version, reason.strip()));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      throw new IllegalArgumentException("Error: a yank keeps its tombstone in the gateway's release history: set"
          + " GARDEN_URL (and GARDEN_API_TOKEN). To remove a version from this machine's own store, use: garden"
          + " unpublish " + name + " --version " + version);
    }
  }

  @Command(name = "restore-registry", mixinStandardHelpOptions = true,
      description = "Put a backup of the stage's index back (the latest unless --backup names one).")
  static class Restore extends Locking {
    @Option(names = "--backup", paramLabel = "TIMESTAMP", description = "Which backup (see backups/{stage}/).")
    String backup;

    @Option(names = "--dry-run", description = "Print what putting the backup back would change; write nothing.")
    boolean dryRun;

    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      return runRemotely(remote, root, StepName.RESTORE_REGISTRY, Targets.all(),
          new PipelineOptions(dryRun, false, false, false, false, null, backup));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      ops.restore(stageOptions.stage(), stageOptions.format(), Optional.ofNullable(backup), lockWait(), dryRun);
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove-publish-lock", mixinStandardHelpOptions = true,
      description = "Remove the stage's publish lock (after checking its holder is really gone).")
  static final class RemoveLock extends Base {
    @Option(names = "--force", description = "Remove it even though its lease is live and its holder may still be"
        + " publishing (only when you know that publish is dead).")
    boolean force;

    @Option(names = "--dry-run", description = "Say who holds the lock; remove nothing.")
    boolean dryRun;

    @Mixin
    RemoteOption remote;

    @Override
    Optional<Integer> runRemotely(Path root) {
      // --force travels as the request's force switch: the gateway asks for the unlock:force role.
      return runRemotely(remote, root, StepName.REMOVE_PUBLISH_LOCK, Targets.all(),
          new PipelineOptions(dryRun, force, false));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      if (dryRun) {
        Optional<PublishLock> held = ops.lock(stageOptions.stage(), stageOptions.format());
        out().println(held.map(l -> "would remove the publish lock of " + stageOptions.stage().id() + ": "
            + l.describe()).orElse("No publish lock for " + stageOptions.stage().id() + " in "
            + ops.storeDescription(stageOptions.stage())));
        return ExitCodes.OK;
      }
      Optional<PublishLock> removed = ops.removeLock(stageOptions.stage(), stageOptions.format(), force);
      if (removed.isEmpty()) {
        out().println("No publish lock for " + stageOptions.stage().id() + " in "
            + ops.storeDescription(stageOptions.stage()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "download-registry", mixinStandardHelpOptions = true,
      description = "Copy the stage's published index to build/downloaded-registry/{stage}/.")
  static final class Download extends Base {
    @Override
    String notOnGatewayHint() {
      return "garden list-published --format json shows what the gateway's stage holds; unset GARDEN_URL to"
          + " download from a store this machine can reach";
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      out().println("⬇️  " + root.relativize(ops.download(stageOptions.stage(), stageOptions.format())));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list-published", mixinStandardHelpOptions = true,
      description = "List the stage's published entries: name version kamiwaza_version (or --format json).")
  static final class ListPublished extends Base {
    @Option(names = "--format", paramLabel = "human|json", defaultValue = "human", description = "Output format.")
    String format;

    @Mixin
    RemoteOption remote;

    /** Records keep their fields in order; Map.of would not, from one JVM to the next. */
    record Published(String name, String version, String kamiwaza_version) {
    }

    @Override
    Optional<Integer> runRemotely(Path root) {
      Optional<io.garden.cli.remote.GatewayClient> client = remote.client();
      if (client.isEmpty()) {
        return Optional.empty();
      }
      // What the gateway's stage holds, read there: this machine's own store is not asked.
      com.fasterxml.jackson.databind.JsonNode stage = client.get().registry(stageOptions.stage().id());
      List<Published> entries = new ArrayList<>();
      for (String file : List.of("apps", "tools")) {
        stage.path(file).forEach(e -> entries.add(new Published(e.path("name").asText(), e.path("version").asText(),
            e.path("kamiwaza_version").asText(null))));
      }
      entries.sort(java.util.Comparator.comparing(Published::name));
      return Optional.of(print(entries));
    }

    @Override
    int run(RegistryOperations ops, Path root) {
      List<IndexEntry> published = new ArrayList<>();
      ops.published(stageOptions.stage(), stageOptions.format()).values().forEach(published::addAll);
      published.sort(java.util.Comparator.comparing(IndexEntry::name));
      return print(published.stream().map(e -> new Published(e.name(), String.valueOf(e.version()), e.rangeText()))
          .toList());
    }

    private int print(List<Published> entries) {
      if ("json".equals(format)) {
        Reports.printJson(entries, out());
      } else {
        entries.forEach(e -> out().println(e.name() + " " + e.version() + " " + e.kamiwaza_version()));
      }
      out().flush();
      return ExitCodes.OK;
    }
  }

}
