package io.garden.registry.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a write under the publish lock does to one index file, given its current remote entries. Re-run after every
 * conflicting write, so the decision is always made against what is really there.
 */
@FunctionalInterface
public interface Planner {

  MergePlan plan(String file, List<ObjectNode> remote);

  /** publish-registry: the version-aware upsert. */
  static Planner upsert(java.util.function.Function<String, List<ObjectNode>> local, Set<String> force) {
    return (file, remote) -> MergePolicy.merge(remote, local.apply(file), force);
  }

  /** publish-registry-direct and restore-registry: the index becomes exactly {@code wanted}, no version checks. */
  static Planner replaceWith(java.util.function.Function<String, List<ObjectNode>> wanted) {
    return (file, remote) -> {
      List<ObjectNode> target = wanted.apply(file);
      List<Decision> decisions = new ArrayList<>();
      for (ObjectNode e : target) {
        boolean existed = remote.stream().anyMatch(r -> r.path("name").equals(e.path("name")));
        boolean same = remote.contains(e);
        decisions.add(new Decision(e.path("name").asText(), e.path("version").asText(),
            e.path("kamiwaza_version").asText("*"), same ? Action.UNCHANGED : existed ? Action.REPLACE : Action.INSERT,
            List.of(), null));
      }
      for (ObjectNode r : remote) {
        if (target.stream().noneMatch(e -> e.path("name").equals(r.path("name")))) {
          decisions.add(new Decision(r.path("name").asText(), r.path("version").asText(),
              r.path("kamiwaza_version").asText("*"), Action.REMOVE, List.of(), null));
        }
      }
      return new MergePlan(decisions, target);
    };
  }

  /** unpublish NAME: every entry of that name leaves the index. */
  static Planner remove(String name) {
    return (file, remote) -> {
      List<Decision> decisions = remote.stream().filter(r -> r.path("name").asText().equals(name))
          .map(r -> new Decision(name, r.path("version").asText(), r.path("kamiwaza_version").asText("*"),
              Action.REMOVE, List.of(), null)).toList();
      List<ObjectNode> kept = remote.stream().filter(r -> !r.path("name").asText().equals(name)).toList();
      return new MergePlan(decisions.isEmpty() ? List.of() : decisions, kept);
    };
  }
}
