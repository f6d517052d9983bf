package io.garden.common.store;

import java.util.List;
import java.util.Optional;

/**
 * A flat key → bytes store with conditional writes: the registry index, its lock and its backups live here.
 *
 * <p>ETags are opaque: a caller only ever hands back the ETag it read. The conditional operations are the safety
 * mechanism of publishing, so every implementation must make them atomic, across threads and processes.
 * Keys are relative, slash-separated paths ({@link ObjectKeys#check(String)}).
 */
public interface ObjectStore extends AutoCloseable {

  /** The object and its ETag, or empty when there is none. */
  Optional<StoredObject> get(String key);

  /**
   * Creates the object only when no object exists under the key.
   *
   * @return the new ETag
   * @throws PreconditionFailedException when the key already exists
   */
  String putIfAbsent(String key, byte[] body);

  /**
   * Replaces the object only when its current ETag is {@code etag}.
   *
   * @return the new ETag
   * @throws PreconditionFailedException when the object changed (or vanished) since that ETag was read
   */
  String putIfMatch(String key, byte[] body, String etag);

  /**
   * Deletes the object only when its current ETag is {@code etag}.
   *
   * @throws PreconditionFailedException when the object changed since that ETag was read, or is gone
   */
  void deleteIfMatch(String key, String etag);

  /** Unconditional write, for objects only one writer ever creates (backups, artifacts under unique keys). */
  String put(String key, byte[] body);

  /** Keys that start with {@code prefix}, in lexicographic order. */
  List<String> list(String prefix);

  /** A human description naming the store, for messages ("folder /x/.garden/store", "s3://bucket at ..."). */
  String describe();

  @Override
  default void close() {
  }
}
