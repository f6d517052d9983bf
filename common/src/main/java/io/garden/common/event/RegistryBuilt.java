package io.garden.common.event;

/** build-registry wrote a registry for a stage. */
public record RegistryBuilt(String stage, String format, int apps, int tools, String dir, int errors)
    implements EventPayload {
}
