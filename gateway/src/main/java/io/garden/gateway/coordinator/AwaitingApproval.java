package io.garden.gateway.coordinator;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.PublishPlanned;

import java.util.List;

/**
 * A pipeline's write to a protected stage waiting for people: what was asked, the approvals counted so far (one per
 * person, never the requester's) and the dry run's decision table they approve.
 */
public record AwaitingApproval(ApprovalRequested request, List<ApprovalDecided> approvals, PublishPlanned plan) {

  public AwaitingApproval {
    approvals = List.copyOf(approvals);
  }
}
