package io.garden.cli;

import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subcommands of {@code garden}, by name, in the order {@code garden --help} lists them. They are added to the
 * command line only when needed: picocli builds a command's model by reflecting over its class (and every type its
 * fields and methods mention), so building all of them costs a short command most of its start-up. A command line
 * naming one subcommand gets that one; {@code --version} gets none; anything else (help, a mistake) gets all.
 */
final class Subcommands {

  /** Name → class name; a test checks each name is its class's {@code @Command(name)}. */
  static final Map<String, String> ALL = new LinkedHashMap<>();

  static {
    add("up", "UpCommand");
    add("gateway", "ComponentCommands$Gateway");
    add("worker", "ComponentCommands$Worker");
    add("ci-pipeline", "CiPipelineCommand");
    add("tail", "PipelineCommands$Tail");
    add("audit", "PipelineCommands$Audit");
    add("status", "PipelineCommands$Status");
    add("pipelines", "PipelineCommands$Pipelines");
    add("cancel", "PipelineCommands$Cancel");
    add("validate", "ValidateCommand");
    add("sync-compose", "SyncComposeCommand");
    add("bump", "BumpCommand");
    add("new", "NewCommand");
    add("build-registry", "RegistryCommands$Build");
    add("package-registry", "RegistryCommands$Package");
    add("publish-registry", "RegistryCommands$Publish");
    add("publish-registry-direct", "RegistryCommands$PublishDirect");
    add("unpublish", "RegistryCommands$Unpublish");
    add("yank", "RegistryCommands$Yank");
    add("restore-registry", "RegistryCommands$Restore");
    add("history", "ReleaseCommands$History");
    add("rollback", "ReleaseCommands$Rollback");
    add("remove-publish-lock", "RegistryCommands$RemoveLock");
    add("download-registry", "RegistryCommands$Download");
    add("list-published", "RegistryCommands$ListPublished");
    add("promote", "PromoteCommand");
    add("export-images", "ExportImagesCommand");
    add("migrate-store", "MigrateStoreCommand");
    add("build", "BuildCommands$Build");
    add("build-all", "BuildCommands$BuildAll");
    add("test", "BuildCommands$Test");
    add("test-all", "BuildCommands$TestAll");
    add("push", "BuildCommands$Push");
    add("makefile", "MakefileCommand");
    add("token", "TokenCommand");
    add("whoami", "WhoamiCommand");
    add("approve", "ApprovalCommands$Approve");
    add("reject", "ApprovalCommands$Reject");
    add("doctor", "DoctorCommand");
    add("daemon", "DaemonCommand");
    ALL.put("bench", "io.garden.bench.BenchCommand");
  }

  /**
   * What stands in for a command whose module is not in this build: the benchmarks live in their own module, kept
   * out of the product jar, and {@code garden bench} still explains itself.
   */
  private static final Map<String, Class<?>> STAND_INS = Map.of("bench", BenchNotInThisBuild.class);

  private Subcommands() {
  }

  private static void add(String name, String simpleName) {
    ALL.put(name, "io.garden.cli." + simpleName);
  }

  /** Adds to {@code root} the subcommands {@code args} need. */
  static void addFor(CommandLine root, String[] args) {
    String first = args.length == 0 ? null : args[0];
    if (first != null && ALL.containsKey(first)) {
      add(root, first);
    } else if (!(args.length == 1 && (first.equals("--version") || first.equals("-V")))) {
      ALL.keySet().forEach(name -> add(root, name));
    }
  }

  private static void add(CommandLine root, String name) {
    root.addSubcommand(name, commandClass(name));
  }

  /** The class of subcommand {@code name}, or its stand-in when its module is not on the class path. */
  static Class<?> commandClass(String name) {
    try {
      return Class.forName(ALL.get(name));
    } catch (ClassNotFoundException e) {
      if (STAND_INS.containsKey(name)) {
        return STAND_INS.get(name);
      }
      throw new IllegalStateException("subcommand " + name + " is missing from this build", e);
    }
  }
}
