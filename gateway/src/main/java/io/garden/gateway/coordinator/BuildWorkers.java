package io.garden.gateway.coordinator;

import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.kafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Whether image steps can run in a deployment: a build worker is a member of its consumer group. What the
 * gateway's own machine has (its {@code DOCKER_HOST}) says nothing about that: in a deployment the gateway has no
 * engine, and every pipeline silently skipped build, test and push. A build worker that is briefly away (restarting)
 * is waited for, a bounded time; none after that fails the plan with what to start. The same for each platform a
 * push builds: some worker must build it. Blocking: the coordinator asks off its event loop.
 */
public final class BuildWorkers implements Supplier<String> {

  private static final Duration POLL = Duration.ofSeconds(1);

  private final KafkaSettings kafka;
  private final Duration wait;

  /** @param wait how long a missing build worker is waited for ({@code GARDEN_BUILD_WORKER_WAIT_SECONDS}) */
  public BuildWorkers(KafkaSettings kafka, Duration wait) {
    this.kafka = kafka;
    this.wait = wait;
  }

  /** @return null when a build worker is there; never a reason to skip */
  @Override
  public String get() {
    awaitMembers(List.of(ConsumerGroups.BUILD_WORKER), missing -> "no build worker is running (its consumer group "
        + ConsumerGroups.BUILD_WORKER + " has had no member for " + wait.toSeconds() + " s): build, test and"
        + " push cannot run. Start one (garden worker build, or the build-worker service), or leave those steps out");
    return null;
  }

  /**
   * Waits, a bounded time, until every platform of a push has a build worker that builds it (its platform's group
   * has a member): a unit nobody consumes would wait forever.
   *
   * @throws PlanRefusedException naming the platforms nobody builds and what to do
   */
  public void requireBuilders(Platforms platforms) {
    List<String> groups = platforms.list().stream().map(ConsumerGroups::platformBuild).toList();
    awaitMembers(groups, missing -> "no build worker builds " + platforms.list().stream()
        .filter(p -> missing.contains(ConsumerGroups.platformBuild(p))).map(Platform::wire)
        .collect(Collectors.joining(", ")) + " (none for " + wait.toSeconds() + " s): the push cannot run there."
        + " Start a build worker on such a machine, or where QEMU is registered (scripts/container-engine.sh"
        + " platforms), or push fewer platforms (GARDEN_PLATFORMS)");
  }

  private void awaitMembers(List<String> groups, Function<List<String>, String> refusal) {
    long deadline = System.nanoTime() + wait.toNanos();
    try (Admin admin = Admin.create(kafka.admin())) {
      while (true) {
        List<String> missing = new ArrayList<>();
        for (String group : groups) {
          if (members(admin, group) == 0) {
            missing.add(group);
          }
        }
        if (missing.isEmpty()) {
          return;
        }
        if (System.nanoTime() >= deadline) {
          throw new PlanRefusedException(refusal.apply(missing));
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for a build worker", e);
    }
  }

  private static int members(Admin admin, String name) throws InterruptedException {
    try {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(name))
          .describedGroups().get(name).get(10, TimeUnit.SECONDS);
      return group.members().size();
    } catch (ExecutionException | TimeoutException e) {
      return 0; // the group does not exist yet, or the broker did not say: no member seen
    }
  }
}
