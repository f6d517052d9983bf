package io.garden.common.model;

/**
 * The old toolchain's guard on {@code FORCE} outside dev, word for word, and the way out it lacked. On stage and
 * prod a force replaces what users run without a version bump: only in an emergency, confirmed ({@code --emergency}),
 * by a principal allowed to ({@code admin}), and recorded.
 */
public final class ForceGuard {

  private ForceGuard() {
  }

  public static String message(String stage) {
    return "Error: FORCE is only allowed for STAGE=dev (got STAGE=" + stage + "). For stage/prod, you must bump the"
        + " version in kamiwaza.json (garden bump TYPE NAME); only in an emergency, add --emergency (needs the admin"
        + " role on a gateway, and is recorded)";
  }
}
