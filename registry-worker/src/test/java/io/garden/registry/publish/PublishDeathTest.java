package io.garden.registry.publish;

import io.garden.common.event.EventPayload;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.model.Stage;
import io.garden.common.registry.PublishedIndex;
import io.garden.common.registry.RemoteLayout;
import io.garden.common.registry.RegistryFormat;
import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ForwardingObjectStore;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.StoredObject;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.Entries;
import io.garden.registry.IndexEntry;
import io.garden.registry.RegistryJson;
import io.garden.registry.merge.Planner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher killed between any two of its store calls (nothing after the death runs, as with SIGKILL), then the
 * lock taken over: by the same request delivered again, which finishes the publish and reports it once with what it
 * changed; or by another pipeline, which first puts back what the dead one half wrote and says so.
 */
class PublishDeathTest {

  @TempDir
  Path temp;

  private static final List<IndexEntry> OLD_APPS = List.of(Entries.entry("a", "1.0.0", ">=0.8.0"),
      Entries.entry("b", "1.0.0", ">=0.8.0"));
  private static final List<IndexEntry> OLD_TOOLS = List.of(Entries.entry("t", "1.0.0", ">=0.8.0"));
  private static final List<IndexEntry> NEW_APPS = List.of(Entries.entry("a", "1.1.0", ">=0.8.0"),
      Entries.entry("b", "1.1.0", ">=0.8.0"));
  private static final List<IndexEntry> NEW_TOOLS = List.of(Entries.entry("t", "1.1.0", ">=0.8.0"));

  @Test
  @DisplayName("killed at every store call, then redelivered: the index ends new, and one publish.finished says"
      + " 3 replaced")
  void theSameRequestFinishesAndReportsOnce() {
    for (int calls = 0; ; calls++) {
      ObjectStore store = seeded("same-" + calls);
      List<EventPayload> dead = new ArrayList<>();
      boolean died = publishDying(store, calls, dead, "p-1", publishing(NEW_APPS, NEW_TOOLS));
      List<EventPayload> events = new ArrayList<>();
      publisher(new Dying(store, Integer.MAX_VALUE), Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), events)
          .publish(request("p-1"), publishing(NEW_APPS, NEW_TOOLS));

      assertThat(index(store, BuiltRegistry.APPS)).as("apps after death at call %d", calls).isEqualTo(NEW_APPS);
      assertThat(index(store, BuiltRegistry.TOOLS)).as("tools after death at call %d", calls).isEqualTo(NEW_TOOLS);
      List<PublishFinished> finished = new ArrayList<>();
      // The dead one may have said it before it died (it reports, then lets the lock go): once in all.
      concat(dead, events).stream().filter(e -> e instanceof PublishFinished)
          .forEach(e -> finished.add((PublishFinished) e));
      assertThat(finished).as("publish.finished after death at call %d", calls).singleElement()
          .satisfies(f -> assertThat(f.replaced()).isEqualTo(3));
      if (!died) {
        return; // every call was made: there was no point left to die at
      }
    }
  }

  @Test
  @DisplayName("killed at every store call, then another pipeline publishes: what the dead one wrote is put back"
      + " (said so), and the other's audit is against the whole old index")
  void anotherPipelineRollsBackFirst() {
    IndexEntry c = Entries.entry("c", "1.0.0", ">=0.8.0");
    for (int calls = 0; ; calls++) {
      ObjectStore store = seeded("other-" + calls);
      List<EventPayload> dead = new ArrayList<>();
      boolean died = publishDying(store, calls, dead, "p-1", publishing(NEW_APPS, NEW_TOOLS));
      if (!died) {
        return;
      }
      // Died after it had said publish.finished (letting the lock go is its last call): its publish stands.
      boolean reported = dead.stream().anyMatch(e -> e instanceof PublishFinished);
      boolean halfWritten = !reported && (!index(store, BuiltRegistry.APPS).equals(OLD_APPS)
          || !index(store, BuiltRegistry.TOOLS).equals(OLD_TOOLS));
      List<EventPayload> events = new ArrayList<>();
      List<IndexEntry> withC = new ArrayList<>(reported ? NEW_APPS : OLD_APPS);
      withC.add(c);
      publisher(store, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), events)
          .publish(request("p-2"), Planner.upsert(file -> file.equals(BuiltRegistry.APPS) ? List.of(c) : List.of(),
              Set.of()));

      if (halfWritten) {
        assertThat(events).as("after death at call %d", calls).filteredOn(e -> e instanceof PublishFailed)
            .singleElement().satisfies(e -> assertThat(((PublishFailed) e).reason()).contains("p-1"));
      }
      assertThat(index(store, BuiltRegistry.APPS)).as("apps after death at call %d", calls)
          .containsExactlyInAnyOrderElementsOf(withC);
      assertThat(index(store, BuiltRegistry.TOOLS)).isEqualTo(reported ? NEW_TOOLS : OLD_TOOLS);
      if (!halfWritten) {
        assertThat(events).as("nothing undone after death at call %d", calls)
            .noneMatch(e -> e instanceof PublishFailed);
      }
      assertThat(events).filteredOn(e -> e instanceof PublishFinished).singleElement().satisfies(e -> {
        assertThat(((PublishFinished) e).inserted()).isEqualTo(1);
        assertThat(((PublishFinished) e).replaced()).isZero();
      });
    }
  }

  /** @return whether the publisher died (false: it made fewer calls than {@code calls} and finished) */
  private boolean publishDying(ObjectStore store, int calls, List<EventPayload> events, String pipeline,
                               Planner planner) {
    try {
      publisher(new Dying(store, calls), Clock.systemUTC(), events).publish(request(pipeline), planner);
      return false;
    } catch (ProcessDeath death) {
      return true;
    }
  }

  private ObjectStore seeded(String name) {
    ObjectStore store = new FileObjectStore(temp.resolve(name));
    publisher(store, Clock.systemUTC(), new ArrayList<>()).publish(request("p-seed"),
        Planner.upsert(file -> file.equals(BuiltRegistry.APPS) ? OLD_APPS : OLD_TOOLS, Set.of()));
    return store;
  }

  private static RegistryPublisher publisher(ObjectStore store, Clock clock, List<EventPayload> events) {
    return new RegistryPublisher(store, clock, Sleeper.REAL, events::add, Faults.NONE);
  }

  private static PublishRequest request(String pipeline) {
    return new PublishRequest(Stage.DEV, RegistryFormat.V2, false, new LockOwner("w", "test-host", 1, pipeline, 7)
        .answering("r-" + pipeline),
        Duration.ofSeconds(5), PublishRequest.DEFAULT_LEASE, null);
  }

  private static Planner publishing(List<IndexEntry> apps, List<IndexEntry> tools) {
    return Planner.upsert(file -> file.equals(BuiltRegistry.APPS) ? apps : tools, Set.of());
  }

  private static List<IndexEntry> index(ObjectStore store, String file) {
    Optional<StoredObject> object = store.get("garden/v2/" + file);
    return object.map(o -> RegistryJson.parse(o.body(), file)).orElse(List.of());
  }

  /** What garden's readers see now: the old whole index, or the new whole one, never one file of each. */
  private static void readerSeesAWholeIndex(ObjectStore store) {
    Map<String, Optional<StoredObject>> read = PublishedIndex.read(store, new RemoteLayout(Stage.DEV,
        RegistryFormat.V2), RegistryPublisher.FILES);
    List<IndexEntry> apps = read.get(BuiltRegistry.APPS).map(o -> RegistryJson.parse(o.body(), "apps")).orElse(
        List.of());
    List<IndexEntry> tools = read.get(BuiltRegistry.TOOLS).map(o -> RegistryJson.parse(o.body(), "tools")).orElse(
        List.of());
    if (apps.isEmpty() && tools.isEmpty()) {
      return; // before the seed
    }
    boolean old = apps.equals(OLD_APPS) && tools.equals(OLD_TOOLS);
    boolean whole = apps.equals(NEW_APPS) && tools.equals(NEW_TOOLS);
    assertThat(old || whole).as("a reader sees apps %s and tools %s", apps, tools).isTrue();
  }

  private static List<EventPayload> concat(List<EventPayload> a, List<EventPayload> b) {
    List<EventPayload> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** What a SIGKILL is to the publish: nothing after it runs, not even the publisher's own failure handling. */
  private static final class ProcessDeath extends Error {
    ProcessDeath() {
      super("the process died");
    }
  }

  /**
   * A store whose process dies after {@code calls} calls: that call and every later one never happen. Before each
   * call, a reader reads the index as garden's readers do: it must be one whole index, old or new.
   */
  private static final class Dying extends ForwardingObjectStore {
    private final AtomicInteger left;

    Dying(ObjectStore delegate, int calls) {
      super(delegate);
      this.left = new AtomicInteger(calls);
    }

    private void call() {
      readerSeesAWholeIndex(delegate);
      if (left.getAndDecrement() <= 0) {
        throw new ProcessDeath();
      }
    }

    @Override
    public Optional<StoredObject> get(String key) {
      call();
      return super.get(key);
    }

    @Override
    public String putIfAbsent(String key, byte[] body) {
      call();
      return super.putIfAbsent(key, body);
    }

    @Override
    public String putIfMatch(String key, byte[] body, String etag) {
      call();
      return super.putIfMatch(key, body, etag);
    }

    @Override
    public void deleteIfMatch(String key, String etag) {
      call();
      super.deleteIfMatch(key, etag);
    }

    @Override
    public String put(String key, byte[] body) {
      call();
      return super.put(key, body);
    }

    @Override
    public List<String> list(String prefix) {
      call();
      return super.list(prefix);
    }

    @Override
    public void close() {
      // The store belongs to the test.
    }
  }
}
