package io.garden.common.kafka;

/**
 * Consumer group names another component has to know: the coordinator asks whether the build worker's group has
 * members before it plans image steps, without depending on the build worker.
 */
public final class ConsumerGroups {

  /** Every build worker is a member (build, test and push requests). */
  public static final String BUILD_WORKER = "build-worker";
  /** Every validate worker (sync-compose, validate). */
  public static final String VALIDATE_WORKER = "validate-worker";
  /** Every registry worker (build, package and dry runs of the registry). */
  public static final String REGISTRY_WORKER = "registry-worker";

  /**
   * The build workers that build {@code platform} (natively, or by emulation when no native one is there): they
   * consume {@link Topics#platformBuild}.
   */
  public static String platformBuild(io.garden.common.platform.Platform platform) {
    return BUILD_WORKER + "." + platform.tagSuffix();
  }

  private ConsumerGroups() {
  }
}
