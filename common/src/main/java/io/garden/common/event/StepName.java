package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every step a pipeline can run, named as the {@code garden} command that runs it alone. {@code ci-pipeline} is the
 * one composite: the coordinator expands it into the others.
 */
public enum StepName implements WireName {
  CI_PIPELINE("ci-pipeline"),
  BUILD("build"),
  TEST("test"),
  PUSH("push"),
  SYNC_COMPOSE("sync-compose"),
  /** sync-compose --check: report stale appgarden files, write nothing. */
  CHECK("check"),
  VALIDATE("validate"),
  BUILD_REGISTRY("build-registry"),
  PACKAGE_REGISTRY("package-registry"),
  PUBLISH_REGISTRY("publish-registry"),
  DOWNLOAD_REGISTRY("download-registry"),
  UNPUBLISH("unpublish"),
  RESTORE_REGISTRY("restore-registry"),
  REMOVE_PUBLISH_LOCK("remove-publish-lock"),
  /** Publish on a later stage the entry an earlier stage tested, its images tagged on the same digests. */
  PROMOTE("promote");

  private final String wire;

  StepName(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static StepName parse(String value) {
    return WireName.parse(StepName.class, "step", value);
  }

  /** Build, test and push need a container engine. */
  public boolean needsEngine() {
    return this == BUILD || this == TEST || this == PUSH;
  }

  /** Steps that run once per extension (fanned out); the others run once over the repository. */
  public boolean perExtension() {
    return needsEngine();
  }

  @Override
  public String toString() {
    return wire;
  }
}
