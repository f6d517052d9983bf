package io.garden.common.event;

/**
 * Someone asked to stop a pipeline's running work (its envelope's pipelineId says which). Put on the audit stream,
 * where every worker instance sees it whatever partition its work came from.
 */
public record CancelRequested(String reason) implements EventPayload {
}
