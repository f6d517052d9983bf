package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.AtomicFiles;
import io.garden.common.model.Documents;
import io.garden.common.model.ExtensionDiscovery;
import io.garden.common.model.ExtensionRef;
import io.garden.common.model.ExtensionType;
import io.garden.validate.ComposeSyncer;
import io.garden.validate.LoadedExtension;
import io.garden.validate.SyncResult;
import io.garden.validate.VersionBump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code garden bump [--level major|minor|patch] TYPE NAME}. */
@Command(name = "bump", mixinStandardHelpOptions = true,
    description = {
        "Raise the version in kamiwaza.json (the single source of truth) and re-sync the appgarden file."})
final class BumpCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption repo;

  @Option(names = "--level", paramLabel = "major|minor|patch", defaultValue = "patch",
      description = "Which part to raise (default: patch).")
  String level;

  @Parameters(index = "0", paramLabel = "TYPE", description = "app, service or tool.")
  String type;

  @Parameters(index = "1", paramLabel = "NAME", description = "The extension's folder name.")
  String name;

  @Override
  public Integer call() {
    VersionBump.Level bumpLevel = VersionBump.Level.parse(level);
    ExtensionRef ref = new ExtensionDiscovery(repo.root()).resolve(ExtensionType.parse(type), name);
    Path manifest = ref.file("kamiwaza.json");
    String text = Documents.readText(manifest);
    JsonNode version = Documents.parseJsonObject(manifest, text).get("version");
    if (version == null || !version.isTextual()) {
      throw new IllegalStateException(manifest + ": no \"version\" string to bump");
    }
    String next = VersionBump.next(version.asText(), bumpLevel);
    AtomicFiles.write(manifest, VersionBump.rewrite(text, version.asText(), next));
    SyncResult sync = ComposeSyncer.sync(LoadedExtension.load(ref), false);
    var out = spec.commandLine().getOut();
    out.println("⬆️  " + ref.id() + ": " + version.asText() + " → " + next);
    Reports.printSync(java.util.List.of(sync), false, out);
    out.flush();
    return sync.failsCheck() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
