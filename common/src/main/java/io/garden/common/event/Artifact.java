package io.garden.common.event;

/** A file a pipeline produced (the registry tarball), kept in the object store under {@code key}. */
public record Artifact(String name, long size, String sha256, String key) {
}
