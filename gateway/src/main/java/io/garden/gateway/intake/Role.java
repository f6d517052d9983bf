package io.garden.gateway.intake;

import io.garden.common.model.Stage;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a principal may do. Roles are granted one by one: {@code run} does not imply publishing, and publishing to
 * prod does not imply publishing to dev. Every role can read; {@code admin} can do everything.
 */
public enum Role {
  READ("read"),
  RUN("run"),
  PUBLISH_DEV("publish:dev"),
  PUBLISH_STAGE("publish:stage"),
  PUBLISH_PROD("publish:prod"),
  UNPUBLISH("unpublish"),
  RESTORE("restore"),
  UNLOCK("unlock"),
  /** Remove a lock whose lease is live: more than {@code unlock}, which removes only a lock whose holder is gone. */
  UNLOCK_FORCE("unlock:force"),
  PROMOTE_STAGE("promote:stage"),
  PROMOTE_PROD("promote:prod"),
  /** Approve or reject someone else's write to a protected stage ({@code GARDEN_PROTECTED_STAGES}). */
  APPROVE_DEV("approve:dev"),
  APPROVE_STAGE("approve:stage"),
  APPROVE_PROD("approve:prod"),
  ADMIN("admin");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Role publish(Stage stage) {
    return switch (stage) {
      case DEV -> PUBLISH_DEV;
      case STAGE -> PUBLISH_STAGE;
      case PROD -> PUBLISH_PROD;
    };
  }

  public static Role approve(Stage stage) {
    return switch (stage) {
      case DEV -> APPROVE_DEV;
      case STAGE -> APPROVE_STAGE;
      case PROD -> APPROVE_PROD;
    };
  }

  /** Promoting onto {@code stage}; nothing is promoted onto dev, the first stage. */
  public static Role promote(Stage stage) {
    return switch (stage) {
      case DEV -> throw new IllegalArgumentException("nothing is promoted onto dev: it is the first stage");
      case STAGE -> PROMOTE_STAGE;
      case PROD -> PROMOTE_PROD;
    };
  }

  public static Role parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.wire.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role '" + value + "': roles are " + names()));
  }

  /** A comma-separated list ({@code run,publish:dev}); at least one role. */
  public static Set<Role> parseList(String value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : (value == null ? "" : value).split(",")) {
      if (!part.isBlank()) {
        roles.add(parse(part));
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("name at least one role: " + names());
    }
    return roles;
  }

  public static String names() {
    return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
  }

  public static String wire(Set<Role> roles) {
    return roles.stream().sorted().map(Role::wire).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return wire;
  }
}
