package io.garden.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code garden 0.1.0 (commit 1a2b3c4d5e6f)}: the version and the git commit this build was made from. */
final class Version implements IVersionProvider {

  static String text() {
    Properties p = properties();
    return "garden " + p.getProperty("version", "unknown") + " (commit " + p.getProperty("commit", "unknown") + ")";
  }

  /** The version alone ({@code 0.1.0}), for files that should not change with every commit. */
  static String number() {
    return properties().getProperty("version", "unknown");
  }

  private static Properties properties() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Without the file the version is unknown; say so rather than fail.
    }
    return p;
  }

  @Override
  public String[] getVersion() {
    return new String[] {text()};
  }
}
