package io.garden.registry;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.service.ServiceMain;

/** The registry-worker service: {@code java -cp … io.garden.registry.Main}, or the registry-worker image. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceMain.run(Component.REGISTRY_WORKER, args, RegistryService::parts);
  }
}
