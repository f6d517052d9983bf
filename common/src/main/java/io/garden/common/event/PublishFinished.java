package io.garden.common.event;

/** A publish wrote (or, with nothing to change, confirmed) the remote index and verified it. */
public record PublishFinished(String stage, String store, int inserted, int replaced, int removed, int unchanged,
                              boolean written, String backup) implements EventPayload {
}
