package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.AtomicFiles;
import io.garden.common.model.Documents;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.extension.ComposeSyncer;
import io.garden.extension.LoadedExtension;
import io.garden.extension.SyncResult;
import io.garden.extension.VersionBump;
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
        "Raise the version in kamiwaza.json (the single source of truth) and re-sync the appgarden file.",
        "",
        "An image field tagged with the old version moves with it. A pre-release or build suffix is dropped:",
        "1.2.3-rc.1 becomes 1.2.4 (patch), 1.3.0 (minor) or 2.0.0 (major). All or nothing: when the re-sync",
        "fails, kamiwaza.json is put back as it was. Two bumps of one extension at once run one after the other."})
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

  /** One bump of an extension at a time in this JVM (a file lock alone cannot tell two threads apart). */
  private static final java.util.Map<Path, Object> IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public Integer call() throws java.io.IOException {
    VersionBump.Level bumpLevel = VersionBump.Level.parse(level);
    Path root = repo.root();
    ExtensionRef ref = new ExtensionDiscovery(root).resolve(ExtensionType.parse(type), name);
    // Read, raise and write under a lock: two bumps at once must not both turn 1.0.0 into 1.0.1.
    Path lockFile = root.resolve(".garden/locks/bump-" + ref.type().folder() + "-" + ref.name() + ".lock");
    java.nio.file.Files.createDirectories(lockFile.getParent());
    synchronized (IN_PROCESS.computeIfAbsent(lockFile, k -> new Object())) {
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
           java.nio.channels.FileLock ignored = channel.lock()) {
        return bump(ref, bumpLevel);
      }
    }
  }

  /**
   * The other files that carry an extension's version: its docker-compose.yml (own image tags) and the
   * pyproject.toml at its root or in a service folder. Each is read only if it stays inside the extension.
   */
  private static java.util.List<Path> carriers(ExtensionRef ref) {
    java.util.List<Path> files = new java.util.ArrayList<>();
    java.util.List<Path> candidates = new java.util.ArrayList<>(java.util.List.of(ref.file("docker-compose.yml"),
        ref.file("pyproject.toml")));
    try (java.util.stream.Stream<Path> children = java.nio.file.Files.list(ref.dir())) {
      children.filter(java.nio.file.Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
          .sorted().forEach(d -> candidates.add(d.resolve("pyproject.toml")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + ref.dir() + ": " + e.getMessage(), e);
    }
    for (Path candidate : candidates) {
      if (java.nio.file.Files.isRegularFile(io.garden.extension.model.ExtensionFiles.contained(ref.dir(), candidate))) {
        files.add(candidate);
      }
    }
    return files;
  }

  private int bump(ExtensionRef ref, VersionBump.Level bumpLevel) {
    Path manifest = ref.file("kamiwaza.json");
    String text = Documents.readText(manifest);
    JsonNode version = Documents.parseJsonObject(manifest, text).get("version");
    if (version == null || !version.isTextual()) {
      throw new IllegalStateException(manifest + ": no \"version\" string to bump");
    }
    String next = VersionBump.next(version.asText(), bumpLevel);
    // Every file that carries the version moves with it, or none does: what is written is kept to undo.
    java.util.Map<Path, String> before = new java.util.LinkedHashMap<>();
    before.put(manifest, text);
    java.util.Map<Path, String> after = new java.util.LinkedHashMap<>();
    after.put(manifest, VersionBump.rewrite(text, version.asText(), next));
    carriers(ref).forEach(file -> {
      String content = Documents.readText(file);
      String moved = file.getFileName().toString().equals("pyproject.toml")
          ? VersionBump.pyproject(content, version.asText(), next)
          : VersionBump.retagCompose(content, version.asText(), next);
      if (!moved.equals(content)) {
        before.put(file, content);
        after.put(file, moved);
      }
    });
    after.forEach(AtomicFiles::write);
    SyncResult sync;
    try {
      sync = ComposeSyncer.sync(LoadedExtension.load(ref), false);
    } catch (RuntimeException e) {
      before.forEach(AtomicFiles::write);
      throw e;
    }
    var out = spec.commandLine().getOut();
    if (sync.failsCheck()) {
      // All or nothing: a version whose appgarden file could not follow would fail validate from here on.
      before.forEach(AtomicFiles::write);
      out.println("↩️  " + ref.id() + ": not bumped, kamiwaza.json is unchanged at " + version.asText()
          + " (re-sync failed)");
      Reports.printSync(java.util.List.of(sync), false, out);
      out.flush();
      return ExitCodes.FINDINGS;
    }
    out.println("⬆️  " + ref.id() + ": " + version.asText() + " → " + next);
    before.keySet().stream().filter(f -> !f.equals(manifest))
        .forEach(f -> out.println("   also moved in " + ref.dir().relativize(f)));
    Reports.printSync(java.util.List.of(sync), false, out);
    out.flush();
    return sync.failsCheck() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
