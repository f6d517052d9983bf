package io.garden.validate;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.service.ServiceMain;

/** The validate-worker service: {@code java -cp … io.garden.validate.Main}, or the validate-worker image. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceMain.run(Component.VALIDATE_WORKER, args, ValidateService::parts);
  }
}
