package io.garden.cli.warm;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WarmEligibilityTest {

  private static final Map<String, String> SERVER = Map.of("LANG", "C.UTF-8", "TZ", "UTC");

  private static java.util.Optional<String> reason(List<String> args, Map<String, String> env) {
    return WarmEligibility.coldReason(args, env, SERVER);
  }

  @Test
  @DisplayName("short commands run warm in the caller's environment when it matches the server's JVM")
  void shortCommandsRunWarm() {
    Map<String, String> env = Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_STORE", "/srv/store",
        "GARDEN_STORE_PROD", "s3://bucket/prefix", "HOME", "/root");
    for (String command : List.of("validate", "sync-compose", "build-registry", "--version", "--help")) {
      assertThat(reason(List.of(command), env)).as(command).isEmpty();
    }
    assertThat(reason(List.of(), env)).as("no command prints the usage").isEmpty();
  }

  @Test
  @DisplayName("the launcher sends the server exactly the commands the server calls short")
  void launcherAndServerAgreeOnShortCommands() throws java.io.IOException {
    String launcher = java.nio.file.Files.readString(java.nio.file.Path.of("src/dist/lib/warm.bash"));
    java.util.regex.Matcher cases = java.util.regex.Pattern.compile("\\n\\s*((?:[a-z-]+\\|)+[^)]*)\\) ;;")
        .matcher(launcher);
    assertThat(cases.find()).as("the launcher's case of short commands").isTrue();
    java.util.Set<String> sent = new java.util.HashSet<>(List.of(cases.group(1).split("\\|")));
    sent.remove("\"\"");
    assertThat(sent).isEqualTo(WarmEligibility.SHORT_COMMANDS);
  }

  @Test
  @DisplayName("long commands, remote runs and traces go cold")
  void longRemoteAndTracedGoCold() {
    assertThat(reason(List.of("up"), SERVER)).contains("not a short command: up");
    assertThat(reason(List.of("validate", "--remote", "http://g"), SERVER)).contains("it runs on a gateway");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_URL", "http://g")))
        .contains("it runs on a gateway");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "OTEL_TRACES_EXPORTER", "otlp")))
        .isPresent();
  }

  @Test
  @DisplayName("a locale, time zone or JVM option other than the server's goes cold: the output could differ")
  void jvmShapingSettingsMustMatch() {
    assertThat(reason(List.of("validate"), Map.of("LANG", "de_DE.UTF-8", "TZ", "UTC")))
        .contains("LANG differs from the server's");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_JAVA_OPTS", "-Xmx1g")))
        .contains("GARDEN_JAVA_OPTS differs from the server's");
  }

  @Test
  @DisplayName("a relative path in a setting goes cold: it would resolve against the server's folder")
  void relativePathSettingsGoCold() {
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_STORE", "registry")))
        .contains("GARDEN_STORE is a relative path");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_API_TOKEN_FILE",
        "secrets/token"))).contains("GARDEN_API_TOKEN_FILE is a relative path");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_STORE_DEV",
        "file://relative/store"))).contains("GARDEN_STORE_DEV is a relative path");
    assertThat(reason(List.of("validate"), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "GARDEN_STAGE", "prod",
        "KAMIWAZA_REGISTRY_BUCKET", "bucket"))).as("not paths").isEmpty();
  }
}
