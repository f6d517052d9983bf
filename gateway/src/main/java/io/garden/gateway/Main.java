package io.garden.gateway;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.service.ServiceMain;

/** The gateway service: {@code java -cp … io.garden.gateway.Main}, or the gateway image. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceMain.run(Component.GATEWAY, args, GatewayService::parts);
  }
}
