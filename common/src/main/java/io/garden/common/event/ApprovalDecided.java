package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code approval.decided}: someone approved or rejected the plan a pipeline waits with, or it expired. Names both
 * people: the approver (also the envelope's actor) and the requester.
 *
 * @param plan      the digest of the plan decided on: an approval of another plan does not count
 * @param approved  true: approve; false: reject (or expired)
 * @param approver  who decided ({@code system:expiry} when it expired)
 * @param requester who asked for the pipeline
 * @param reason    why (required to reject and for the emergency path), or null
 * @param emergency an admin let it run without the approvals it needed; flagged in the history
 * @param door      where the decision came from ({@code api}, {@code slack}, {@code system})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalDecided(String stage, String plan, boolean approved, String approver, String requester,
                              String reason, boolean emergency, String door) implements EventPayload {
}
