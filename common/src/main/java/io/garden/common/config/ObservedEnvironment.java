package io.garden.common.config;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable environment that remembers which variables were asked for. Every way of running hands its
 * environment on as one of these (the CLI's commands, {@code GardenNode}, a service's {@code Main}), so whoever
 * holds it can tell which settings that way read: the proof that a setting reaches its component, whatever door
 * started it (a node once handed its workers an empty map, and every {@code GARDEN_TEST_*} was silently ignored).
 * Reading is all it tracks; iteration (a copy, a check for unknown names) is not a read.
 */
public final class ObservedEnvironment extends AbstractMap<String, String> {

  private final Map<String, String> values;
  private final Set<String> asked;

  private ObservedEnvironment(Map<String, String> values, Set<String> asked) {
    this.values = values;
    this.asked = asked;
  }

  /** {@code env} itself when it is already observed (the same record goes on); else an observed copy. */
  public static Map<String, String> of(Map<String, String> env) {
    return env instanceof ObservedEnvironment observed ? observed
        : new ObservedEnvironment(Map.copyOf(env), ConcurrentHashMap.newKeySet());
  }

  /**
   * {@code values} (a filtered or completed copy of {@code origin}) observed into the same record as
   * {@code origin}, when that is observed.
   */
  public static Map<String, String> derived(Map<String, String> origin, Map<String, String> values) {
    return origin instanceof ObservedEnvironment observed ? new ObservedEnvironment(Map.copyOf(values),
        observed.asked) : Map.copyOf(values);
  }

  /** The variables asked for so far, sorted; empty for an environment that is not observed. */
  public static Set<String> asked(Map<String, String> env) {
    return env instanceof ObservedEnvironment observed ? new TreeSet<>(observed.asked) : Set.of();
  }

  @Override
  public String get(Object key) {
    note(key);
    return values.get(key);
  }

  @Override
  public String getOrDefault(Object key, String fallback) {
    note(key);
    return values.getOrDefault(key, fallback);
  }

  @Override
  public boolean containsKey(Object key) {
    note(key);
    return values.containsKey(key);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return values.entrySet();
  }

  @Override
  public int size() {
    return values.size();
  }

  private void note(Object key) {
    if (key instanceof String name) {
      asked.add(name);
    }
  }
}
