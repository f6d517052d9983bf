package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One image of a build or push: its reference, id or digest, and how long it took. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(String service, String ref, String imageId, String digest, Long durationMs) {
}
