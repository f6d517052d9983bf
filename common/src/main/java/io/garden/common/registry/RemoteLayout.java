package io.garden.common.registry;

import io.garden.common.model.Stage;

/** Where a stage's registry lives in its object store. */
public record RemoteLayout(Stage stage, RegistryFormat format) {

  public String index(String file) {
    return "garden/" + format.dir() + "/" + file;
  }

  /** A file the index refers to by a relative path (a preview image: {@code images/x.png}). */
  public String file(String relative) {
    return "garden/" + format.dir() + "/" + relative;
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
