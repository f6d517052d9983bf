package io.garden.registry.publish;

import io.garden.common.event.EventPayload;
import io.garden.common.event.LockKept;
import io.garden.common.event.LockTakenOver;
import io.garden.common.event.PublishFailed;
import io.garden.common.model.Stage;
import io.garden.common.store.ForwardingObjectStore;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStoreException;
import io.garden.registry.BuiltRegistry;
import io.garden.registry.Entries;
import io.garden.registry.IndexEntry;
import io.garden.common.registry.RegistryFormat;
import io.garden.registry.RegistryJson;
import io.garden.registry.merge.Action;
import io.garden.registry.merge.Planner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Publishing can never lose an entry: run against every store (folder: unit test; S3Mock: IT). Each publisher has
 * its own store client, as separate workers would.
 */
public abstract class PublishSafetyContract {

  /** A new client on the same backing store, under a prefix unique to the test, each time it is called. */
  protected abstract ObjectStore openStore(String namespace);

  /** Rounds of 8 publishers at once: many on the fast folder store, fewer over HTTP where each costs seconds. */
  protected int concurrentRounds() {
    return 20;
  }

  private String namespace;
  private final List<EventPayload> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void freshNamespace() {
    namespace = "n" + UUID.randomUUID().toString().substring(0, 8);
    events.clear();
  }

  private ObjectStore store() {
    return openStore(namespace);
  }

  private RegistryPublisher publisher(ObjectStore store, Clock clock, Faults faults) {
    return new RegistryPublisher(store, clock, Sleeper.REAL, events::add, faults);
  }

  private static PublishRequest request(String who, Duration lease) {
    return new PublishRequest(Stage.DEV, RegistryFormat.V2, false,
        new LockOwner(who, "test-host", 1, "p-" + who, 1), Duration.ofMinutes(2), lease, null);
  }

  /** As a worker publishes: one request of a pipeline, delivered again with the same id after a death. */
  private static PublishRequest pipelineRequest(String who) {
    return new PublishRequest(Stage.DEV, RegistryFormat.V2, false,
        new LockOwner(who, "test-host", 1, "p-" + who, 1).answering("r-" + who), Duration.ofMinutes(2),
        PublishRequest.DEFAULT_LEASE, null);
  }

  private static Planner publishing(IndexEntry... apps) {
    return Planner.upsert(file -> file.equals(BuiltRegistry.APPS) ? List.of(apps) : List.of(), Set.of());
  }

  private List<IndexEntry> remoteApps(ObjectStore store) {
    return store.get("garden/v2/apps.json").map(o -> RegistryJson.parse(o.body(), "apps.json")).orElse(List.of());
  }

  @Test
  @DisplayName("8 publishers of 8 different extensions at once: all 8 end up in the index, round after round")
  void concurrentPublishersLoseNothing() throws Exception {
    int publishers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    List<ObjectStore> clients = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      clients.add(store());
    }
    try {
      for (int round = 1; round <= concurrentRounds(); round++) {
        CyclicBarrier start = new CyclicBarrier(publishers);
        List<Future<PublishOutcome>> results = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
          int n = i;
          int r = round;
          results.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return publisher(clients.get(n), Clock.systemUTC(), Faults.NONE).publish(
                request("w" + n, PublishRequest.DEFAULT_LEASE),
                publishing(Entries.entry("ext-" + n, "1.0." + r, ">=0.8.0")));
          }));
        }
        for (Future<PublishOutcome> result : results) {
          assertThat(result.get(120, TimeUnit.SECONDS).written()).isTrue();
        }
        List<IndexEntry> index = remoteApps(clients.get(0));
        String expected = "1.0." + round;
        assertThat(index).as("index after round %d", round).hasSize(publishers)
            .allSatisfy(e -> assertThat(e.version()).isEqualTo(expected));
      }
      assertThat(clients.get(0).get("garden/v2/registry.lock")).isEmpty();
    } finally {
      pool.shutdownNow();
      clients.forEach(ObjectStore::close);
    }
  }

  @Test
  @DisplayName("a publish done again after its worker died between writing and reporting records what it applied;"
      + " a finished pipeline's or another pipeline's republish is UNCHANGED")
  void redonePublishRecordsWhatItApplied() {
    try (ObjectStore store = store()) {
      IndexEntry a = Entries.entry("redo-a", "1.0.0", ">=0.8.0");
      IndexEntry b = Entries.entry("redo-b", "1.0.0", ">=0.8.0");
      // The process dies right after its writes: no restore, no report, the lock left behind.
      Faults death = point -> {
        if (point.equals("before-report")) {
          throw new ProcessDeath();
        }
      };
      assertThatThrownBy(() -> publisher(store, Clock.systemUTC(), death)
          .publish(pipelineRequest("redo"), publishing(a, b))).isInstanceOf(ProcessDeath.class);
      assertThat(remoteApps(store)).hasSize(2);
      events.clear();

      // Redelivered to another worker, later than the dead one's lease.
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
      PublishOutcome redone = publisher(store, later, Faults.NONE)
          .publish(pipelineRequest("redo"), publishing(a, b));

      assertThat(redone.count(Action.INSERT)).as("the inserts the first attempt made").isEqualTo(2);
      assertThat(redone.count(Action.UNCHANGED)).isZero();
      assertThat(events).filteredOn(e -> e instanceof io.garden.common.event.PublishFinished).singleElement()
          .satisfies(e -> assertThat(((io.garden.common.event.PublishFinished) e).inserted()).isEqualTo(2));
      assertThat(store.get("garden/v2/registry.lock")).isEmpty();

      events.clear();
      PublishOutcome again = publisher(store, later, Faults.NONE)
          .publish(pipelineRequest("redo"), publishing(a, b));
      assertThat(again.count(Action.INSERT)).as("once reported, the same request is done").isEqualTo(2);
      assertThat(events).as("and says nothing twice").noneMatch(e -> e instanceof io.garden.common.event.PublishFinished
          || e instanceof io.garden.common.event.PublishPlanned);
      PublishOutcome other = publisher(store, later, Faults.NONE)
          .publish(request("someone-else", PublishRequest.DEFAULT_LEASE), publishing(a, b));
      assertThat(other.count(Action.UNCHANGED)).isEqualTo(2);
      assertThat(other.written()).isFalse();
    }
  }

  /** What a SIGKILL is to the publish: nothing after it runs, not even the publisher's own failure handling. */
  private static final class ProcessDeath extends Error {
    ProcessDeath() {
      super("the process died");
    }
  }

  @Test
  @DisplayName("zombie: a publisher whose lock was taken over stops before writing; its retry loses nothing")
  void zombiePublisherLosesNothing() throws Exception {
    CountDownLatch zombieHasRead = new CountDownLatch(1);
    CountDownLatch otherHasWritten = new CountDownLatch(1);
    Faults zombieFaults = point -> {
      if (point.equals("after-read")) {
        zombieHasRead.countDown();
        await(otherHasWritten);
      }
    };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ObjectStore zombieClient = store(); ObjectStore otherStore = store()) {
      // A zombie is a paused process: its lease renewals stall with it until the other publisher is done.
      ObjectStore zombieStore = new io.garden.common.store.ForwardingObjectStore(zombieClient) {
        @Override
        public String putIfMatch(String key, byte[] body, String etag) {
          if (key.endsWith("registry.lock") && zombieHasRead.getCount() == 0) {
            await(otherHasWritten);
          }
          return super.putIfMatch(key, body, etag);
        }
      };
      // The zombie's lease is a millisecond long; the other worker's clock is an hour ahead, so it takes over.
      Future<PublishOutcome> zombie = pool.submit(() -> publisher(zombieStore, Clock.systemUTC(), zombieFaults)
          .publish(request("zombie", Duration.ofMillis(1)), publishing(Entries.entry("ext-z", "1.0.0", null))));
      await(zombieHasRead);
      publisher(otherStore, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), Faults.NONE)
          .publish(request("other", PublishRequest.DEFAULT_LEASE),
              publishing(Entries.entry("ext-o", "1.0.0", null)));
      otherHasWritten.countDown();

      assertThatThrownBy(() -> zombie.get(60, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class).hasMessageContaining("lost the publish lock");
      assertThat(remoteApps(otherStore)).extracting(IndexEntry::name).containsExactly("ext-o");
      assertThat(events).filteredOn(e -> e instanceof LockTakenOver).hasSize(1);

      publisher(zombieStore, Clock.systemUTC(), Faults.NONE).publish(request("zombie", PublishRequest.DEFAULT_LEASE),
          publishing(Entries.entry("ext-z", "1.0.0", null)));
      assertThat(remoteApps(otherStore)).extracting(IndexEntry::name).containsExactly("ext-o", "ext-z");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a failure between write and verify restores the old index and releases the lock; a retry succeeds once")
  void faultBetweenWriteAndVerify() {
    try (ObjectStore store = store()) {
      RegistryPublisher first = publisher(store, Clock.systemUTC(), Faults.NONE);
      first.publish(request("a", PublishRequest.DEFAULT_LEASE), publishing(Entries.entry("old", "1.0.0", null)));
      byte[] before = store.get("garden/v2/apps.json").orElseThrow().body();
      Faults crash = point -> {
        if (point.equals("before-verify")) {
          throw new IllegalStateException("injected crash before verify");
        }
      };

      assertThatThrownBy(() -> publisher(store, Clock.systemUTC(), crash).publish(request("b",
          PublishRequest.DEFAULT_LEASE), publishing(Entries.entry("new", "1.0.0", null))))
          .hasMessage("injected crash before verify");
      assertThat(store.get("garden/v2/apps.json").orElseThrow().body()).isEqualTo(before);
      assertThat(store.get("garden/v2/registry.lock")).isEmpty();
      assertThat(events).filteredOn(e -> e instanceof PublishFailed).singleElement()
          .satisfies(e -> assertThat(((PublishFailed) e).restored()).isTrue());

      PublishOutcome retry = publisher(store, Clock.systemUTC(), Faults.NONE).publish(request("b",
          PublishRequest.DEFAULT_LEASE), publishing(Entries.entry("new", "1.0.0", null)));
      PublishOutcome again = publisher(store, Clock.systemUTC(), Faults.NONE).publish(request("b",
          PublishRequest.DEFAULT_LEASE), publishing(Entries.entry("new", "1.0.0", null)));

      assertThat(retry.count(Action.INSERT)).isEqualTo(1);
      assertThat(again.written()).isFalse();
      assertThat(again.count(Action.UNCHANGED)).isEqualTo(1);
      assertThat(remoteApps(store)).extracting(IndexEntry::name).containsExactly("new", "old");
    }
  }

  @Test
  @DisplayName("when even the restore fails, the lock stays with the reason in it and in an event")
  void restoreFailureKeepsTheLock() {
    try (ObjectStore store = store()) {
      publisher(store, Clock.systemUTC(), Faults.NONE).publish(request("a", PublishRequest.DEFAULT_LEASE),
          publishing(Entries.entry("old", "1.0.0", null)));
      FailingAfterWrite failing = new FailingAfterWrite(store);
      Faults crash = point -> {
        if (point.equals("before-verify")) {
          failing.broken = true;
          throw new IllegalStateException("injected crash before verify");
        }
      };

      assertThatThrownBy(() -> publisher(failing, Clock.systemUTC(), crash).publish(request("b",
          PublishRequest.DEFAULT_LEASE), publishing(Entries.entry("new", "1.0.0", null))));

      String lock = new String(store.get("garden/v2/registry.lock").orElseThrow().body());
      assertThat(lock).contains("restoring the backup failed too", "garden restore-registry --stage dev");
      assertThat(events).filteredOn(e -> e instanceof LockKept).hasSize(1);
      assertThatThrownBy(() -> publisher(store, Clock.systemUTC(), Faults.NONE).publish(request("c",
          Duration.ofMinutes(1)), publishing(Entries.entry("x", "1.0.0", null))))
          .isInstanceOf(PublishRefusedException.class)
          .hasMessageContaining("garden remove-publish-lock --stage dev");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A store whose index writes start failing once told to (the store went away mid-publish). */
  static final class FailingAfterWrite extends ForwardingObjectStore {
    volatile boolean broken;

    FailingAfterWrite(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public String putIfMatch(String key, byte[] body, String etag) {
      if (broken && key.endsWith(".json")) {
        throw new ObjectStoreException("store unavailable (injected)");
      }
      return delegate.putIfMatch(key, body, etag);
    }

    @Override
    public void close() {
      // The wrapped store belongs to the test.
    }
  }
}
