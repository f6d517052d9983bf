package io.garden.common.store;

/**
 * Where a pipeline's artifacts live in the artifact store: {@code artifacts/{pipelineId}/{name}}. One rule for the
 * worker that stores them and the gateway that serves them; both parts are checked so neither can climb out.
 */
public final class ArtifactKeys {

  public static final String PREFIX = "artifacts/";

  private ArtifactKeys() {
  }

  public static String of(String pipelineId, String name) {
    return ObjectKeys.check(PREFIX + segment(pipelineId, "pipeline id") + "/" + segment(name, "artifact name"));
  }

  private static String segment(String value, String what) {
    if (value == null || value.isBlank() || value.contains("/") || value.contains("\\") || value.equals(".")
        || value.equals("..")) {
      throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
    }
    return value;
  }
}
