package io.garden.validate;

import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.validate.worker.ValidateWorkerVerticle;

import java.util.List;

/** What the validate-worker service runs: one consumer of validate requests (more instances share its partitions). */
public final class ValidateService {

  private ValidateService() {
  }

  public static List<ServicePart> parts(ServiceContext context) {
    return List.of(new ServicePart(ValidateWorkerVerticle.GROUP, () -> new ValidateWorkerVerticle(
        context.kafka(ValidateWorkerVerticle.GROUP), context.checkouts(), KafkaWorkerVerticle::exitProcess)));
  }
}
