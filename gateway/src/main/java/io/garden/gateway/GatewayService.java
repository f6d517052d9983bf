package io.garden.gateway;

import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.gateway.coordinator.BuildWorkers;
import io.garden.gateway.coordinator.CoordinatorSettings;
import io.garden.gateway.coordinator.CoordinatorStatus;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import io.garden.gateway.hooks.CommitStatusVerticle;
import io.garden.gateway.notify.NotifyVerticle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the gateway service runs: the coordinator (it sends the workers their work), the HTTP API and webhooks that
 * take work in, the commit-status reporter when a forge token is configured, and the notifier when a sink is. They start together: the API
 * listens at once while the coordinator and the views catch up with the audit stream ({@code /ready} says so).
 */
public final class GatewayService {

  public static final String API = "gateway";
  private static final Duration SSE_HEARTBEAT = Duration.ofSeconds(15);

  private GatewayService() {
  }

  public static List<ServicePart> parts(ServiceContext context) {
    return parts(context, GatewayConfig.fromEnv(context.env()));
  }

  /**
   * The gateway of a deployment: image steps run when a build worker is in its consumer group, whatever engine this
   * machine has.
   */
  public static List<ServicePart> parts(ServiceContext context, GatewayConfig gateway) {
    return parts(context, gateway, workers(context, gateway));
  }

  private static BuildWorkers workers(ServiceContext context, GatewayConfig gateway) {
    return new BuildWorkers(context.kafka(CoordinatorVerticle.GROUP + "-workers"), gateway.buildWorkerWait());
  }

  /**
   * @param imageSteps null when build, test and push can run, else why they are skipped; or it refuses the plan
   *                   ({@link BuildWorkers}). Everything in one process ({@code garden up}) asks its own engine.
   */
  public static List<ServicePart> parts(ServiceContext context, GatewayConfig gateway, Supplier<String> imageSteps) {
    List<ServicePart> parts = new ArrayList<>();
    CoordinatorStatus coordinatorStatus = new CoordinatorStatus();
    parts.add(new ServicePart(CoordinatorVerticle.GROUP, () -> new CoordinatorVerticle(
        context.kafka(CoordinatorVerticle.GROUP),
        new CoordinatorSettings(gateway.maxParallel(), gateway.sourcePolicy(), imageSteps, context.checkouts(),
            gateway.history().restorePoint(), context.config().pushPlatforms(),
            workers(context, gateway)::requireBuilders, gateway.protection()),
        coordinatorStatus, KafkaWorkerVerticle::exitProcess)));
    parts.add(new ServicePart(API, () -> new GatewayVerticle(context.kafka(API), context.config(), gateway,
        SSE_HEARTBEAT, coordinatorStatus::problems)));
    if (CommitStatusVerticle.wanted(gateway.hooks())) {
      parts.add(new ServicePart(CommitStatusVerticle.GROUP, () -> new CommitStatusVerticle(
          context.kafka(CommitStatusVerticle.GROUP), gateway.hooks(), Backoff.DEFAULT)));
    }
    if (io.garden.gateway.hooks.PlanReportVerticle.wanted(gateway.hooks())) {
      parts.add(new ServicePart(io.garden.gateway.hooks.PlanReportVerticle.GROUP,
          () -> new io.garden.gateway.hooks.PlanReportVerticle(context.kafka(io.garden.gateway.hooks
              .PlanReportVerticle.GROUP), gateway.hooks(), gateway.notices().publicUrl(), Backoff.DEFAULT)));
    }
    if (gateway.notices().any()) {
      parts.add(new ServicePart(NotifyVerticle.GROUP, () -> new NotifyVerticle(context.kafka(NotifyVerticle.GROUP),
          gateway.notices(), NotifyVerticle.BACKOFF)));
    }
    return parts;
  }
}
