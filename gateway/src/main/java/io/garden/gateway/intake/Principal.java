package io.garden.gateway.intake;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is asking, as authenticated by their door: never taken from a header the caller chose.
 *
 * @param actor how events name them: {@code api:NAME} for a credential, {@code github:LOGIN} / {@code gitlab:LOGIN}
 *              for a webhook sender, {@code slack:USER_ID} for a chat user
 * @param door  the door that authenticated them
 * @param roles what they may do
 */
public record Principal(String actor, Door door, Set<Role> roles) {

  public Principal {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  public boolean has(Role role) {
    return roles.contains(Role.ADMIN) || roles.contains(role) || role == Role.READ && !roles.isEmpty();
  }
}
