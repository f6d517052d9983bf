package io.garden.common.event;

import java.time.Instant;

/**
 * {@code approval.requested}: a pipeline's write to a protected stage ran its dry run and now waits for people
 * other than its requester to approve that plan.
 *
 * @param stage     where it would write
 * @param step      which step waits ({@code publish-registry}, {@code promote}, ...)
 * @param plan      the digest of the dry run's decision table ({@code sha256:...}): what an approval approves
 * @param required  how many approvals it needs
 * @param requester who asked for the pipeline (never one of its approvers)
 * @param expiresAt when, without enough approvals, it is rejected
 */
public record ApprovalRequested(String stage, StepName step, String plan, int required, String requester,
                                Instant expiresAt) implements EventPayload {
}
