package io.garden.gateway.hooks;

import io.garden.common.event.Changes;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.Targets;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When a newer push to a ref cancels the older run still going, the newer run takes the older run's changes as
 * well: push A changed tool-demo, push B changed demo-app; B runs for both, from A's {@code before} to B's
 * {@code after}. Without this, A's change was never checked.
 */
public final class Supersession {

  private Supersession() {
  }

  /** {@code newer}, widened to cover what {@code older} was going to check. */
  public static PipelineRequested covering(PipelineRequested older, PipelineRequested newer) {
    if (newer.targets().mode() == Targets.Mode.ALL) {
      return newer;
    }
    if (older.targets().mode() == Targets.Mode.ALL || older.changes() == null || newer.changes() == null
        || older.changes().base() == null) {
      // The older run checked everything (a new branch, a force push): so must its replacement.
      return new PipelineRequested(newer.source(), newer.steps(), Targets.all(), newer.stage(), newer.options(),
          newer.trigger(), null);
    }
    Set<String> paths = new LinkedHashSet<>(older.changes().paths());
    paths.addAll(newer.changes().paths());
    return new PipelineRequested(newer.source(), newer.steps(), newer.targets(), newer.stage(), newer.options(),
        newer.trigger(), new Changes(older.changes().base(), List.copyOf(paths)));
  }
}
