package io.garden.gateway.hooks;

import io.garden.common.model.Stage;

import java.util.Map;
import java.util.Set;

/**
 * Who may do what from outside the API. Publishing to dev and stage is open to anyone whose request is signed,
 * unless a list names who may; prod only to those its list names (none when empty). Removing a publish lock only
 * to those {@code GARDEN_UNLOCKERS} names. Actors are written {@code slack:USER_ID} or {@code git:LOGIN}.
 *
 * @param publishers per stage ({@code GARDEN_PUBLISHERS_DEV}, {@code _STAGE}, {@code _PROD}); empty = the default
 */
public record AccessPolicy(Map<Stage, Set<String>> publishers, Set<String> unlockers) {

  /** The answer and its reason, in words a person reads in the chat. */
  public record Verdict(boolean allowed, String reason) {
  }

  public AccessPolicy {
    publishers = Map.copyOf(publishers);
    unlockers = Set.copyOf(unlockers);
  }

  public static AccessPolicy fromEnv(Map<String, String> env) {
    return new AccessPolicy(Map.of(
        Stage.DEV, HookSettings.list(env.get("GARDEN_PUBLISHERS_DEV")),
        Stage.STAGE, HookSettings.list(env.get("GARDEN_PUBLISHERS_STAGE")),
        Stage.PROD, HookSettings.list(env.get("GARDEN_PUBLISHERS_PROD"))),
        HookSettings.list(env.get("GARDEN_UNLOCKERS")));
  }

  public Verdict publish(String actor, Stage stage) {
    Set<String> allowed = publishers.getOrDefault(stage, Set.of());
    String variable = "GARDEN_PUBLISHERS_" + stage.id().toUpperCase(java.util.Locale.ROOT);
    if (allowed.isEmpty()) {
      return stage == Stage.PROD
          ? new Verdict(false, "nobody may publish to prod from here: " + variable + " names no one")
          : new Verdict(true, "anyone with a signed request may publish to " + stage.id());
    }
    return allowed.contains(actor)
        ? new Verdict(true, actor + " is on the " + stage.id() + " publisher list (" + variable + ")")
        : new Verdict(false, actor + " is not on the " + stage.id() + " publisher list (" + variable + ")");
  }

  public Verdict unlock(String actor, Stage stage) {
    if (unlockers.contains(actor)) {
      return new Verdict(true, actor + " may remove publish locks (GARDEN_UNLOCKERS)");
    }
    return new Verdict(false, actor + " may not remove the " + stage.id() + " publish lock: only those"
        + " GARDEN_UNLOCKERS names may");
  }
}
