package io.garden.build;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.service.ServiceMain;

/** The build-worker service: {@code java -cp … io.garden.build.Main}, or the build-worker image. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceMain.run(Component.BUILD_WORKER, args, BuildService::parts);
  }
}
