package io.garden.common.event;

/** package-registry wrote its tarball. */
public record RegistryPackaged(String path, long bytes, String sha256) implements EventPayload {
}
