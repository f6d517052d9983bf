package io.garden.cli;

/**
 * One meaning for {@code GARDEN_URL}: a command that acts on a stage goes through that gateway, or refuses. It never
 * quietly acts on this machine's own stores instead (a local lock taken, a local {@code .garden/store} made, an
 * empty list printed while the gateway's stage holds entries).
 */
final class RemoteMode {

  private RemoteMode() {
  }

  /**
   * Refuses (exit 2) to run {@code command} here while GARDEN_URL names a gateway.
   *
   * @param instead what to do instead, in the user's words
   */
  static void refuseLocalRun(GardenCommand parent, String command, String instead) {
    parent.remote().url().ifPresent(url -> {
      throw new IllegalArgumentException("Error: GARDEN_URL is set (" + url + "), and garden " + command
          + " acts on a stage's store, which a gateway has no route for: " + instead);
    });
  }
}
