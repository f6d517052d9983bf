package io.garden.build;

import io.garden.common.model.Stage;
import io.garden.extension.BuildTarget;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What push does for a stage (SPEC §5): each image goes out under the stage tag ({@code -dev}, {@code -stage}, bare
 * for prod); one missing under that tag but present as {@code {version}-dev} is retagged first; {@code latest} is
 * never pushed. {@code GARDEN_IMAGE_REGISTRY} (e.g. {@code localhost:5000}) prefixes the pushed name.
 */
public final class PushPlan {

  /** One image: the local reference to push from, whether it must be retagged from -dev first, and the target. */
  public record Step(String service, String localRef, boolean retagFromDev, String devRef, String remoteRef) {
  }

  private PushPlan() {
  }

  /**
   * @param exists whether a local image reference exists
   * @throws IllegalStateException naming the missing image and the command that builds it
   */
  public static List<Step> plan(List<BuildTarget> targets, String version, Stage stage, String registry,
                                Predicate<String> exists, String buildCommand) {
    String tag = stage.tag(version);
    String devTag = Stage.DEV.tag(version);
    List<Step> steps = new ArrayList<>();
    for (BuildTarget t : targets) {
      String local = t.ref(tag);
      boolean retag = !exists.test(local);
      if (retag && !exists.test(t.ref(devTag))) {
        throw new IllegalStateException("Image " + t.ref(devTag) + " not found; build it first: " + buildCommand
            + " (or push with --build)");
      }
      String remote = (registry == null || registry.isBlank() ? "" : registry.replaceAll("/+$", "") + "/")
          + t.ref(tag);
      steps.add(new Step(t.service(), local, retag, t.ref(devTag), remote));
    }
    return steps;
  }
}
