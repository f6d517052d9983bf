package io.garden.common.format;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.HashMap;
import java.util.Map;

/**
 * SnakeYAML's implicit-tag resolver, remembering its answers. It runs a handful of regular expressions over every
 * plain scalar, reading and writing alike (is {@code 1.0} a float, {@code yes} a boolean?), and compose files say
 * the same words over and over: {@code image}, {@code deploy}, {@code resources}, {@code 512M}. The answer depends
 * on the text alone, so it can be kept. One per thread (SnakeYAML objects are not thread-safe), bounded.
 */
final class CachingResolver extends Resolver {

  private static final int MAX_ENTRIES = 4096;

  private final Map<String, Tag> implicitScalars = new HashMap<>();

  @Override
  public Tag resolve(NodeId kind, String value, boolean implicit) {
    if (kind != NodeId.scalar || !implicit) {
      return super.resolve(kind, value, implicit);
    }
    Tag known = implicitScalars.get(value);
    if (known == null) {
      known = super.resolve(kind, value, implicit);
      if (implicitScalars.size() < MAX_ENTRIES) {
        implicitScalars.put(value, known);
      }
    }
    return known;
  }
}
