package io.garden.bench;

import io.garden.cli.ExitCodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;
import io.garden.common.model.Stage;
import io.garden.common.store.FileObjectStore;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.IndexEntry;
import io.garden.common.registry.RegistryFormat;
import io.garden.registry.RegistryJson;
import io.garden.registry.merge.MergePlan;
import io.garden.registry.merge.MergePolicy;
import io.garden.registry.merge.Planner;
import io.garden.registry.publish.Faults;
import io.garden.registry.publish.LockOwner;
import io.garden.registry.publish.PublishListener;
import io.garden.registry.publish.PublishOutcome;
import io.garden.registry.publish.PublishRequest;
import io.garden.registry.publish.RegistryPublisher;
import io.garden.registry.publish.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code garden bench publish}: merge and publish a large registry into a remote of the same size. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Generate a remote index of EXTENSIONS × VERSIONS entries (disjoint platform ranges) in a",
        "temporary folder store and a local registry of the same size with every version one patch newer;",
        "time the merge alone and the whole publish (lock, backup, CAS write, verify)."})
final class BenchPublish implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--extensions", defaultValue = "10000", description = "Extensions (default: 10000).")
  int extensions;

  @Option(names = "--versions", defaultValue = "10", description = "Versions per extension (default: 10).")
  int versions;

  @Option(names = "--rounds", defaultValue = "3", description = "Merge rounds to time (default: 3).")
  int rounds;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<IndexEntry> remote = entries(0);
    List<IndexEntry> local = entries(1);
    out.printf(Locale.ROOT, "remote: %d entries, local: %d entries%n", remote.size(), local.size());
    for (int round = 1; round <= rounds; round++) {
      long s = System.nanoTime();
      MergePlan plan = MergePolicy.merge(remote, local, Set.of());
      out.printf(Locale.ROOT, "merge round %d: %.0f ms (%d decisions, failed=%s)%n", round,
          (System.nanoTime() - s) / 1e6, plan.decisions().size(), plan.failed());
    }
    Path dir = Files.createTempDirectory("garden-bench-store-");
    try (FileObjectStore store = new FileObjectStore(dir)) {
      store.put("garden/v2/apps.json", RegistryJson.bytes(remote));
      remote = null;
      System.gc();
      RegistryPublisher publisher = new RegistryPublisher(store, Clock.systemUTC(), Sleeper.REAL,
          PublishListener.NONE, Faults.NONE);
      PublishRequest request = new PublishRequest(Stage.DEV, RegistryFormat.V2, false,
          LockOwner.local("bench", "bench"), PublishRequest.DEFAULT_LOCK_WAIT, PublishRequest.DEFAULT_LEASE, null);
      List<IndexEntry> apps = local;
      long s = System.nanoTime();
      PublishOutcome outcome = publisher.publish(request,
          Planner.upsert(file -> file.equals(BuiltRegistry.APPS) ? apps : List.of(), Set.of()));
      out.printf(Locale.ROOT, "publish to the folder store: %.0f ms (written=%s, index %d MB)%n",
          (System.nanoTime() - s) / 1e6, outcome.written(),
          Files.size(dir.resolve("garden/v2/apps.json")) >> 20);
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "heap: max %.0f MB, in use after GC %.0f MB%n", rt.maxMemory() / 1048576.0,
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    return ExitCodes.OK;
  }

  /** Entries like build-registry makes (manifest fields, a small compose_yml, images); bump = patch offset. */
  private List<IndexEntry> entries(int bump) {
    List<IndexEntry> list = new ArrayList<>(extensions * versions);
    var mapper = EventCodec.shared().mapper();
    for (int e = 0; e < extensions; e++) {
      String name = String.format(Locale.ROOT, "ext%05d", e);
      for (int v = 0; v < versions; v++) {
        ObjectNode n = mapper.createObjectNode();
        String version = v + ".0." + bump;
        n.put("name", name).put("version", version).put("kamiwaza_version", ">=" + v + ".0.0,<" + (v + 1) + ".0.0")
            .put("source_type", "kamiwaza").put("visibility", "public").put("risk_tier", 1).put("verified", false)
            .put("description", "Synthetic extension " + name)
            .put("compose_yml", "services:\n  web:\n    image: kamiwazaai/" + name + ":" + version + "-dev\n");
        n.putArray("docker_images").add("kamiwazaai/" + name + ":" + version + "-dev");
        list.add(IndexEntry.of(n));
      }
    }
    return list;
  }
}
