package io.garden.common.store;

import io.garden.common.model.Stage;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Each stage has its own place in a shared store ({@code dev/}, {@code stage/}, {@code prod/}). A store written
 * before that kept one registry at its top, which every stage then read and wrote: this moves it into the place of
 * the stage it belongs to.
 */
public final class StageLayout {

  private StageLayout() {
  }

  /** What a command says when it meets the old layout, with the command that fixes it. */
  static String legacyMessage(String store) {
    return "Error: " + store + " holds a registry at its top (garden/...), from before each stage had its own place"
        + " in a shared store (dev/, stage/, prod/); it is not read for any stage now. Move it to the stage it was"
        + " published for: garden migrate-store --to dev|stage|prod (or keep it as one stage's own store, e.g."
        + " GARDEN_STORE_DEV set to this location)";
  }

  /**
   * Moves every object at the top of {@code shared} (not already in a stage's place) into {@code stage}'s place:
   * each is written there first and only then removed from the top, so an interrupted move is finished by running
   * it again.
   *
   * @return how many objects moved
   */
  public static int migrate(ObjectStore shared, Stage stage, Consumer<String> progress) {
    List<String> places = Arrays.stream(Stage.values()).map(s -> s.id() + "/").toList();
    List<String> keys = shared.list("").stream().filter(k -> places.stream().noneMatch(k::startsWith)).toList();
    if (keys.isEmpty()) {
      progress.accept("nothing to move: " + shared.describe() + " has no objects outside the stages' places");
      return 0;
    }
    int moved = 0;
    for (String key : keys) {
      StoredObject object = shared.get(key).orElse(null);
      if (object == null) {
        continue; // removed meanwhile
      }
      shared.put(stage.id() + "/" + key, object.body());
      shared.deleteIfMatch(key, object.etag());
      moved++;
      if (moved % 100 == 0) {
        progress.accept("moved " + moved + " of " + keys.size() + " objects");
      }
    }
    progress.accept("moved " + moved + " object(s) from the top of " + shared.describe() + " to its " + stage.id()
        + "/ place");
    return moved;
  }
}
