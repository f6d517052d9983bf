package io.garden.registry.publish;

import io.garden.common.registry.RemoteLayout;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to publish: the stage and format, whether to only plan, who is publishing, how long to wait for the lock,
 * and where local backups go (null: store only).
 */
public record PublishRequest(Stage stage, RegistryFormat format, boolean dryRun, LockOwner owner, Duration lockWait,
                             Duration lease, Path localBackups, boolean marksWhenReported) {

  /**
   * @param marksWhenReported the caller marks the publish finished once its events are out (a worker, after Kafka
   *                          acknowledged them), not the publisher when its writes are done
   */
  public PublishRequest(Stage stage, RegistryFormat format, boolean dryRun, LockOwner owner, Duration lockWait,
                        Duration lease, Path localBackups) {
    this(stage, format, dryRun, owner, lockWait, lease, localBackups, false);
  }

  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(2);
  /**
   * Short, and renewed every third of it while the publish runs: a publisher that dies blocks the others for this
   * long at most, about as long as its group takes to hand its partition over (session.timeout.ms, 6 s), so a crashed
   * publish is picked up within ~10 s. Three renewals fit in it: one slow store answer does not lose the lock.
   */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(9);

  public RemoteLayout layout() {
    return new RemoteLayout(stage, format);
  }

  public String removeLockCommand() {
    return "garden remove-publish-lock --stage " + stage.id() + (format == RegistryFormat.V1 ? " --repo-version v1"
        : "");
  }
}
