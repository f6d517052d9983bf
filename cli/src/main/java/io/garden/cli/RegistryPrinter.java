package io.garden.cli;

import io.garden.common.event.EventPayload;
import io.garden.common.event.LockAcquired;
import io.garden.common.event.LockKept;
import io.garden.common.event.LockRemoved;
import io.garden.common.event.LockTakenOver;
import io.garden.common.event.LockWaiting;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PublishConflict;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.RegistryBuilt;
import io.garden.common.event.RegistryPackaged;
import io.garden.registry.publish.PublishListener;

import java.io.PrintWriter;

/** Prints registry events as they happen: progress for people, the decision table, and why things failed. */
final class RegistryPrinter implements PublishListener {

  private final PrintWriter out;

  RegistryPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void on(EventPayload event) {
    if (event instanceof RegistryBuilt b) {
      out.printf("🏗️  built %s registry for %s: %d app(s)/service(s), %d tool(s) in %s%n", b.format(), b.stage(),
          b.apps(), b.tools(), b.dir());
    } else if (event instanceof RegistryPackaged p) {
      out.printf("📦 %s (%d bytes, sha256 %s)%n", p.path(), p.bytes(), p.sha256());
    } else if (event instanceof LockWaiting w) {
      out.printf("⏳ waiting for the publish lock held by %s since %s%n", holder(w.lock()), w.lock().acquiredAt());
    } else if (event instanceof LockTakenOver t) {
      out.printf("⚠️  took over the publish lock of %s: %s%n", holder(t.lock()), t.lock().reason());
    } else if (event instanceof LockAcquired) {
      out.println("🔒 publish lock acquired");
    } else if (event instanceof LockKept k) {
      out.println("🔒 the publish lock is KEPT: " + k.lock().reason());
    } else if (event instanceof LockRemoved r) {
      out.printf("🔓 removed the publish lock of %s, held since %s%n", holder(r.lock()), r.lock().acquiredAt());
    } else if (event instanceof PublishPlanned p) {
      printTable(p);
    } else if (event instanceof PublishConflict c) {
      out.printf("↻ %s changed while we merged (attempt %d): re-reading and merging again%n", c.key(), c.attempt());
    } else if (event instanceof PublishFinished f) {
      out.printf("✅ published to %s (%s): %d inserted, %d replaced, %d removed, %d unchanged%s%n", f.stage(),
          f.store(), f.inserted(), f.replaced(), f.removed(), f.unchanged(), f.written() ? "" : " — nothing to write");
    } else if (event instanceof PublishFailed f) {
      out.printf("❌ publish to %s failed: %s%s%n", f.stage(), f.reason(),
          f.restored() ? " (the previous index was restored)" : f.lockKept() ? " (lock kept, see above)" : "");
    }
    out.flush();
  }

  private void printTable(PublishPlanned p) {
    out.printf("%s for %s (%s):%n", p.dryRun() ? "Dry run — decisions" : "Decisions", p.stage(), p.store());
    if (p.decisions().isEmpty()) {
      out.println("   (nothing to publish)");
      return;
    }
    out.printf("   %-11s %-28s %-12s %-20s %-9s %s%n", "FILE", "NAME", "VERSION", "KAMIWAZA_VERSION", "ACTION", "NOTE");
    for (PlannedDecision d : p.decisions()) {
      String note = d.message() != null ? d.message()
          : d.replaces().isEmpty() ? "" : "replaces " + String.join(", ", d.replaces());
      out.printf("   %-11s %-28s %-12s %-20s %-9s %s%n", d.file(), d.name(), d.version(), d.range(), d.action(), note);
    }
    if (p.failed()) {
      long refused = p.decisions().stream().filter(d -> "FAIL".equals(d.action())).count();
      out.printf("❌ %s: %d entr%s refused; nothing was written%n", p.dryRun() ? "publish would FAIL" : "publish FAILED",
          refused, refused == 1 ? "y" : "ies");
      out.println("   next: bump the version of what changed (garden bump TYPE NAME), garden sync-compose, garden"
          + " build-registry --stage " + p.stage() + ", then publish again (try --dry-run first);"
          + (p.stage().equals("dev") ? " on dev, --force TYPE NAME replaces every entry of one extension"
          : " in an emergency, --force TYPE NAME --emergency replaces one extension's entries (recorded)"));
    }
  }

  /** "bob@host-c (pid 4242, pipeline p-1)"; a lock taken outside a pipeline names none (never "pipeline null"). */
  private static String holder(io.garden.common.event.LockEvent lock) {
    return lock.owner() + "@" + lock.host() + " (pid " + lock.pid()
        + (lock.pipeline() == null ? "" : ", pipeline " + lock.pipeline()) + ")";
  }
}
