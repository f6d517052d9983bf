package io.garden.gateway.coordinator;

import java.util.List;

/**
 * Whether this gateway's coordinator is doing its work, for readiness: the API could answer long before the
 * coordinator had caught up with the audit stream and taken its request partitions, and said "up" while nothing
 * moved. Shared by the coordinator (which sets it) and the API (which reports it); safe across threads.
 */
public final class CoordinatorStatus {

  private volatile String waitingFor = "the coordinator has not started";

  void catchingUp() {
    waitingFor = "the coordinator is catching up with the audit stream";
  }

  void joining() {
    waitingFor = "the coordinator is waiting for its share of the request partitions";
  }

  void live() {
    waitingFor = null;
  }

  void stopped() {
    waitingFor = "the coordinator is stopped";
  }

  /** What the coordinator is waiting for; empty when it is live. */
  public List<String> problems() {
    String now = waitingFor;
    return now == null ? List.of() : List.of(now);
  }
}
