package io.garden.gateway.intake;

import io.garden.common.event.AccessAction;
import io.garden.common.model.Stage;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one answer to "may this principal do this?", whatever door the request came through. A principal's roles come
 * from its door: a named API credential carries its own; a signed chat user or webhook sender may read and run, and
 * gains publishing and unlocking only from the lists below. Publishing to dev and stage from chat is open to any
 * signed request unless that stage's list names who may; prod only to those its list names (nobody when empty).
 *
 * <p>Lists hold actors as events write them: {@code slack:USER_ID}, {@code github:LOGIN}, {@code gitlab:LOGIN}, or
 * {@code git:LOGIN} for a login on either forge.
 *
 * @param publishers per stage ({@code GARDEN_PUBLISHERS_DEV}, {@code _STAGE}, {@code _PROD}); empty = the default
 * @param unlockers  {@code GARDEN_UNLOCKERS}: who may remove a publish lock from outside the API
 */
public record AccessPolicy(Map<Stage, Set<String>> publishers, Set<String> unlockers,
                           Map<Stage, Set<String>> approvers) {

  /**
   * The answer and its reason, in words a person reads in the chat, the API's 403 and the audit log, and the ask it
   * answers (the one refused, or the most consequential one allowed). {@code overShare}: allowed by role, refused
   * because the principal has its share of pipelines running (a 429 to retry, not a 403).
   */
  public record Verdict(boolean allowed, String reason, Ask ask, boolean overShare) {

    Verdict(boolean allowed, String reason) {
      this(allowed, reason, null, false);
    }

    public Verdict(boolean allowed, String reason, Ask ask) {
      this(allowed, reason, ask, false);
    }

    Verdict about(Ask answered) {
      return new Verdict(allowed, reason, answered, overShare);
    }
  }

  public AccessPolicy {
    publishers = Map.copyOf(publishers);
    unlockers = Set.copyOf(unlockers);
    approvers = Map.copyOf(approvers);
  }

  public AccessPolicy(Map<Stage, Set<String>> publishers, Set<String> unlockers) {
    this(publishers, unlockers, Map.of());
  }

  public static AccessPolicy fromEnv(Map<String, String> env) {
    Map<Stage, Set<String>> publishers = new HashMap<>();
    for (Stage stage : Stage.values()) {
      publishers.put(stage, list(env.get(variable(stage))));
    }
    Map<Stage, Set<String>> approvers = new HashMap<>();
    for (Stage stage : Stage.values()) {
      approvers.put(stage, list(env.get("GARDEN_APPROVERS_" + stage.id().toUpperCase(Locale.ROOT))));
    }
    return new AccessPolicy(publishers, list(env.get("GARDEN_UNLOCKERS")), approvers);
  }

  /** A Slack user whose request signature was verified. */
  public Principal chatUser(String userId) {
    return signed("slack:" + userId, Door.CHAT, List.of("slack:" + userId));
  }

  /** The sender of a verified webhook delivery ({@code github:alice}); lists may also name them {@code git:alice}. */
  public Principal forgeSender(String forge, String login) {
    String actor = forge + ":" + login;
    return signed(actor, Door.WEBHOOK, List.of(actor, "git:" + login));
  }

  private Principal signed(String actor, Door door, List<String> names) {
    Set<Role> roles = EnumSet.of(Role.READ, Role.RUN);
    for (Stage stage : Stage.values()) {
      Set<String> listed = publishers.getOrDefault(stage, Set.of());
      if (listed.isEmpty() ? stage != Stage.PROD : names.stream().anyMatch(listed::contains)) {
        roles.add(Role.publish(stage));
      }
    }
    if (names.stream().anyMatch(unlockers::contains)) {
      roles.add(Role.UNLOCK);
    }
    for (Stage stage : Stage.values()) {
      // Approving is never open by default: only those a stage's list names, from chat (Slack's buttons).
      if (names.stream().anyMatch(approvers.getOrDefault(stage, Set.of())::contains)) {
        roles.add(Role.approve(stage));
      }
    }
    return new Principal(actor, door, roles);
  }

  /** All of the asks must be allowed; the verdict names the first that is not, else the most consequential. */
  public Verdict decide(Principal who, List<Ask> asks) {
    if (asks.isEmpty()) {
      throw new IllegalArgumentException("nothing was asked");
    }
    Verdict last = null;
    for (Ask ask : asks) {
      last = decide(who, ask);
      if (!last.allowed()) {
        return last;
      }
    }
    return last;
  }

  public Verdict decide(Principal who, Ask ask) {
    return judge(who, ask).about(ask);
  }

  private Verdict judge(Principal who, Ask ask) {
    Role needed = ask.role();
    boolean allowed = who.has(needed);
    if (who.door() == Door.API) {
      String has = who.roles().isEmpty() ? "no roles" : "roles " + Role.wire(who.roles());
      return allowed
          ? new Verdict(true, who.actor() + (who.roles().contains(Role.ADMIN) ? " has the admin role"
          : " has the " + needed.wire() + " role"))
          : new Verdict(false, who.actor() + " may not " + ask.describe() + ": that needs the " + needed.wire()
          + " role, and this credential has " + has);
    }
    return signedVerdict(who, ask, allowed);
  }

  /** Chat users and webhook senders get their rights from lists: the reason names the list. */
  private Verdict signedVerdict(Principal who, Ask ask, boolean allowed) {
    if (ask.action() == AccessAction.PUBLISH) {
      Set<String> listed = publishers.getOrDefault(ask.stage(), Set.of());
      String variable = variable(ask.stage());
      if (listed.isEmpty()) {
        return allowed ? new Verdict(true, "anyone with a signed request may publish to " + ask.stage().id())
            : new Verdict(false, "nobody may publish to prod from here: " + variable + " names no one");
      }
      return allowed
          ? new Verdict(true, who.actor() + " is on the " + ask.stage().id() + " publisher list (" + variable + ")")
          : new Verdict(false, who.actor() + " is not on the " + ask.stage().id() + " publisher list (" + variable
          + ")");
    }
    if (ask.action() == AccessAction.APPROVE) {
      String variable = "GARDEN_APPROVERS_" + ask.stage().id().toUpperCase(Locale.ROOT);
      return allowed ? new Verdict(true, who.actor() + " is on the " + ask.stage().id() + " approver list ("
          + variable + ")")
          : new Verdict(false, who.actor() + " may not approve a write to " + ask.stage().id() + " from "
          + who.door().wire() + ": only those " + variable + " names may");
    }
    if (ask.action() == AccessAction.UNLOCK) {
      return allowed ? new Verdict(true, who.actor() + " may remove publish locks (GARDEN_UNLOCKERS)")
          : new Verdict(false, who.actor() + " may not remove the " + stageId(ask) + " publish lock: only those"
          + " GARDEN_UNLOCKERS names may");
    }
    return allowed ? new Verdict(true, "a signed " + who.door().wire() + " request may " + ask.action().wire())
        : new Verdict(false, who.actor() + " may not " + ask.describe() + " from " + who.door().wire()
        + ": only the API, with a credential that has the " + ask.role().wire() + " role, may");
  }

  private static String stageId(Ask ask) {
    return ask.stage() == null ? "" : ask.stage().id();
  }

  static String variable(Stage stage) {
    return "GARDEN_PUBLISHERS_" + stage.id().toUpperCase(Locale.ROOT);
  }

  static Set<String> list(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}
