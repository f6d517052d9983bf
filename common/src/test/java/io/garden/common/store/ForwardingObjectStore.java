package io.garden.common.store;

import java.util.List;
import java.util.Optional;

/** Test helper: a store that forwards everything, for wrappers that change one behaviour (fail, ignore, count). */
public class ForwardingObjectStore implements ObjectStore {

  protected final ObjectStore delegate;

  public ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<StoredObject> get(String key) {
    return delegate.get(key);
  }

  @Override
  public String putIfAbsent(String key, byte[] body) {
    return delegate.putIfAbsent(key, body);
  }

  @Override
  public String putIfMatch(String key, byte[] body, String etag) {
    return delegate.putIfMatch(key, body, etag);
  }

  @Override
  public void deleteIfMatch(String key, String etag) {
    delegate.deleteIfMatch(key, etag);
  }

  @Override
  public String put(String key, byte[] body) {
    return delegate.put(key, body);
  }

  @Override
  public List<String> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
