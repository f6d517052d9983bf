package io.garden.common.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ObjectStore} must have. Each implementation's test extends this and says how to open
 * a client; the concurrent cases open one client per writer, as separate workers would.
 */
public abstract class ObjectStoreContract {

  private static final AtomicInteger NAMESPACE = new AtomicInteger();

  private ObjectStore store;
  private String ns;

  /** A new client onto the same backing store (same folder, same bucket) each time it is called. */
  protected abstract ObjectStore openClient();

  @BeforeEach
  void openStore(TestInfo info) {
    store = openClient();
    // Each test gets its own key space, so one backing store can serve the whole class.
    ns = "t" + NAMESPACE.incrementAndGet() + "-" + info.getTestMethod().orElseThrow().getName() + "/";
  }

  private String key(String name) {
    return ns + name;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String text(String key) {
    return new String(store.get(key).orElseThrow().body(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("get of a missing key is empty")
  void getMissing() {
    assertThat(store.get(key("nothing.json"))).isEmpty();
  }

  @Test
  @DisplayName("put-if-absent creates the object; get returns its bytes and the same ETag")
  void putIfAbsentCreates() {
    String etag = store.putIfAbsent(key("garden/v2/apps.json"), bytes("[1]"));

    StoredObject read = store.get(key("garden/v2/apps.json")).orElseThrow();
    assertThat(read.body()).isEqualTo(bytes("[1]"));
    assertThat(read.etag()).isEqualTo(etag);
  }

  @Test
  @DisplayName("a second put-if-absent is refused and the first content stays")
  void secondPutIfAbsentRefused() {
    store.putIfAbsent(key("registry.lock"), bytes("owner-a"));

    assertThatThrownBy(() -> store.putIfAbsent(key("registry.lock"), bytes("owner-b")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(text(key("registry.lock"))).isEqualTo("owner-a");
  }

  @Test
  @DisplayName("put-if-match with the current ETag replaces the object and yields a new ETag")
  void putIfMatchCurrent() {
    String first = store.putIfAbsent(key("index.json"), bytes("v1"));

    String second = store.putIfMatch(key("index.json"), bytes("v2"), first);

    assertThat(second).isNotEqualTo(first);
    assertThat(store.get(key("index.json")).orElseThrow().etag()).isEqualTo(second);
    assertThat(text(key("index.json"))).isEqualTo("v2");
  }

  @Test
  @DisplayName("put-if-match with a stale ETag is refused and the newer content stays")
  void putIfMatchStale() {
    String stale = store.putIfAbsent(key("index.json"), bytes("v1"));
    store.putIfMatch(key("index.json"), bytes("v2"), stale);

    assertThatThrownBy(() -> store.putIfMatch(key("index.json"), bytes("v3"), stale))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(text(key("index.json"))).isEqualTo("v2");
  }

  @Test
  @DisplayName("put-if-match on a key that does not exist is refused")
  void putIfMatchMissing() {
    String etag = store.putIfAbsent(key("other.json"), bytes("x"));

    assertThatThrownBy(() -> store.putIfMatch(key("missing.json"), bytes("y"), etag))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(store.get(key("missing.json"))).isEmpty();
  }

  @Test
  @DisplayName("delete-if-match deletes with the current ETag and refuses a stale one")
  void deleteIfMatch() {
    String stale = store.putIfAbsent(key("registry.lock"), bytes("a"));
    String current = store.putIfMatch(key("registry.lock"), bytes("b"), stale);

    assertThatThrownBy(() -> store.deleteIfMatch(key("registry.lock"), stale))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(text(key("registry.lock"))).isEqualTo("b");

    store.deleteIfMatch(key("registry.lock"), current);
    assertThat(store.get(key("registry.lock"))).isEmpty();
  }

  @Test
  @DisplayName("an unconditional put overwrites")
  void unconditionalPut() {
    store.put(key("backup.json"), bytes("one"));
    store.put(key("backup.json"), bytes("two"));

    assertThat(text(key("backup.json"))).isEqualTo("two");
  }

  @Test
  @DisplayName("list returns the keys under a prefix in order, and nothing else")
  void listByPrefix() {
    store.put(key("backups/dev/20261125-070000/apps.json"), bytes("a"));
    store.put(key("backups/dev/20261124-070000/apps.json"), bytes("b"));
    store.put(key("backups/prod/20261125-070000/apps.json"), bytes("c"));
    store.put(key("garden/v2/apps.json"), bytes("d"));

    assertThat(store.list(key("backups/dev/"))).containsExactly(
        key("backups/dev/20261124-070000/apps.json"),
        key("backups/dev/20261125-070000/apps.json"));
    assertThat(store.list(ns)).hasSize(4);
  }

  @Test
  @DisplayName("keys that could escape the store are rejected before any I/O")
  void unsafeKeysRejected() {
    for (String bad : List.of("../etc/passwd", "/abs/key", "a//b", "a/./b", ".hidden", "a/../../b", "")) {
      assertThatThrownBy(() -> store.put(bad, bytes("x")))
          .as("key '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("of N concurrent writers with the same ETag exactly one wins, every round")
  void concurrentPutIfMatchHasOneWinner() throws Exception {
    int writers = 8;
    int rounds = 10;
    String key = key("garden/v2/apps.json");
    store.putIfAbsent(key, bytes("round-0"));
    List<ObjectStore> clients = clients(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 1; round <= rounds; round++) {
        String etag = store.get(key).orElseThrow().etag();
        int r = round;
        List<String> winners = race(pool, clients, (client, i) -> {
          client.putIfMatch(key, bytes("round-" + r + "-writer-" + i), etag);
          return "round-" + r + "-writer-" + i;
        });

        assertThat(winners).as("winners of round %d", round).hasSize(1);
        assertThat(text(key)).isEqualTo(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(ObjectStore::close);
    }
  }

  @Test
  @DisplayName("of N concurrent put-if-absent calls on a new key exactly one wins, every round")
  void concurrentPutIfAbsentHasOneWinner() throws Exception {
    int writers = 8;
    List<ObjectStore> clients = clients(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 1; round <= 10; round++) {
        String key = key("lock-" + round);
        List<String> winners = race(pool, clients, (client, i) -> {
          client.putIfAbsent(key, bytes("writer-" + i));
          return "writer-" + i;
        });

        assertThat(winners).as("winners of round %d", round).hasSize(1);
        assertThat(text(key)).isEqualTo(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(ObjectStore::close);
    }
  }

  private List<ObjectStore> clients(int n) {
    List<ObjectStore> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(openClient());
    }
    return clients;
  }

  private interface Attempt {
    String run(ObjectStore client, int writer);
  }

  /** Starts every writer at a barrier; returns what the writers that were not refused report. */
  private static List<String> race(ExecutorService pool, List<ObjectStore> clients, Attempt attempt)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(clients.size());
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      int writer = i;
      Callable<String> task = () -> {
        start.await(10, TimeUnit.SECONDS);
        try {
          return attempt.run(clients.get(writer), writer);
        } catch (PreconditionFailedException refused) {
          return null;
        }
      };
      results.add(pool.submit(task));
    }
    List<String> winners = new ArrayList<>();
    for (Future<String> result : results) {
      String winner = result.get(60, TimeUnit.SECONDS);
      if (winner != null) {
        winners.add(winner);
      }
    }
    return winners;
  }
}
