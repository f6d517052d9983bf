package io.garden.common.event;

import java.util.List;

/** Images were pushed for a stage, with the digests the registry reported. */
public record PushFinished(String extension, String stage, List<ImageResult> images) implements EventPayload {

  public PushFinished {
    images = images == null ? List.of() : List.copyOf(images);
  }
}
