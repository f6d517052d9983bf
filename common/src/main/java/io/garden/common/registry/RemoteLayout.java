package io.garden.common.registry;

import io.garden.common.model.Stage;

/** Where a stage's registry lives in its object store. */
public record RemoteLayout(Stage stage, RegistryFormat format) {

  public String index(String file) {
    return "garden/" + format.dir() + "/" + file;
  }

  public String lock() {
    return "garden/" + format.dir() + "/registry.lock";
  }

  public String backups() {
    return "backups/" + stage.id() + "/";
  }

  public String backup(String timestamp, String file) {
    return backups() + timestamp + "/garden/" + format.dir() + "/" + file;
  }
}
