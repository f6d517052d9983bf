package io.garden.registry;

import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.registry.worker.PublishVerticle;
import io.garden.registry.worker.RegistryRequestsVerticle;

import java.util.List;

/**
 * What the registry-worker service runs: registry requests (build, package, download; shared by every instance)
 * and the publisher on the single-partition publish topic (one instance publishes at a time; the others stand by).
 */
public final class RegistryService {

  private RegistryService() {
  }

  public static List<ServicePart> parts(ServiceContext context) {
    return List.of(
        new ServicePart(RegistryRequestsVerticle.GROUP, () -> new RegistryRequestsVerticle(
            context.kafka(RegistryRequestsVerticle.GROUP), context.config(), KafkaWorkerVerticle::exitProcess)),
        new ServicePart(PublishVerticle.GROUP, () -> new PublishVerticle(
            context.kafka(PublishVerticle.GROUP), context.config(), KafkaWorkerVerticle::exitProcess)));
  }
}
