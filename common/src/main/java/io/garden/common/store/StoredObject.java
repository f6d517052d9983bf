package io.garden.common.store;

/** An object's bytes and the ETag to hand back to a conditional write. */
public record StoredObject(String key, byte[] body, String etag) {
}
