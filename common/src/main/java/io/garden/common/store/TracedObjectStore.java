package io.garden.common.store;

import io.garden.common.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store whose writes are spans of the trace current on the calling thread (a publish's, an archive write's):
 * conditional writes are where a publish waits on the store, so they are what a trace must show. Reads and lists
 * are not traced (many, short). With tracing off the spans cost nothing.
 */
final class TracedObjectStore implements ObjectStore {

  private final ObjectStore store;

  TracedObjectStore(ObjectStore store) {
    this.store = store;
  }

  ObjectStore inner() {
    return store;
  }

  @Override
  public Optional<StoredObject> get(String key) {
    return store.get(key);
  }

  @Override
  public String putIfAbsent(String key, byte[] body) {
    return traced("store putIfAbsent", key, () -> store.putIfAbsent(key, body));
  }

  @Override
  public String putIfMatch(String key, byte[] body, String etag) {
    return traced("store putIfMatch", key, () -> store.putIfMatch(key, body, etag));
  }

  @Override
  public void deleteIfMatch(String key, String etag) {
    traced("store deleteIfMatch", key, () -> {
      store.deleteIfMatch(key, etag);
      return null;
    });
  }

  @Override
  public String put(String key, byte[] body) {
    return traced("store put", key, () -> store.put(key, body));
  }

  @Override
  public List<String> list(String prefix) {
    return store.list(prefix);
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }

  private static <T> T traced(String name, String key, Supplier<T> write) {
    Span span = Tracing.tracer().spanBuilder(name).setSpanKind(SpanKind.CLIENT).startSpan();
    span.setAttribute("garden.store.key", key);
    try {
      T result = write.get();
      span.end();
      return result;
    } catch (RuntimeException e) {
      Tracing.fail(span, e);
      throw e;
    }
  }
}
