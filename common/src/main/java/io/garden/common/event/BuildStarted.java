package io.garden.common.event;

import java.util.List;

/** A build began: the images it will produce. */
public record BuildStarted(String extension, List<String> images) implements EventPayload {

  public BuildStarted {
    images = images == null ? List.of() : List.copyOf(images);
  }
}
