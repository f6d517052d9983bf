package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image of a build or push: its reference, id or digest, and how long it took. A push of several platforms names
 * them: its digest is then the image index's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(String service, String ref, String imageId, String digest, Long durationMs,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<String> platforms) {

  public ImageResult {
    platforms = platforms == null ? java.util.List.of() : java.util.List.copyOf(platforms);
  }

  public ImageResult(String service, String ref, String imageId, String digest, Long durationMs) {
    this(service, ref, imageId, digest, durationMs, null);
  }
}
