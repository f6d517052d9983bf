package io.garden.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;

/** Registry entries for tests. */
public final class Entries {

  private Entries() {
  }

  /** A minimal entry; {@code range} null means no kamiwaza_version (any platform). */
  public static IndexEntry entry(String name, String version, String range) {
    return IndexEntry.of(tree(name, version, range));
  }

  public static ObjectNode tree(String name, String version, String range) {
    ObjectNode e = EventCodec.shared().mapper().createObjectNode();
    e.put("name", name).put("version", version);
    if (range != null) {
      e.put("kamiwaza_version", range);
    }
    e.put("compose_yml", "services: {}\n");
    return e;
  }
}
