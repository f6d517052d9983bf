package io.garden.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The lines between modules that let each service ship on its own (DESIGN: workers talk only through Kafka; the
 * gateway calls no worker; the shared kernel knows no component). Maven's dependencies keep most of this true by
 * compiling; this test fails the build when a pom grows a dependency that crosses a line and code uses it.
 */
class ModuleBoundariesTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // Other modules' test helpers arrive as test-jars, which the option above does not recognise.
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("io.garden");

  private static final String COMMON = "io.garden.common..";
  private static final String KERNEL = "io.garden.extension..";
  private static final String VALIDATE = "io.garden.validate..";
  private static final String BUILD = "io.garden.build..";
  private static final String REGISTRY = "io.garden.registry..";
  private static final String GATEWAY = "io.garden.gateway..";
  private static final String CLI = "io.garden.cli..";
  /** The gateway's doors: each takes requests its own way and hands them to the shared intake. */
  private static final String API_DOOR = "io.garden.gateway.api..";
  private static final String WEBHOOK_DOOR = "io.garden.gateway.hooks..";
  private static final String CHAT_DOOR = "io.garden.gateway.chatops..";

  @Test
  @DisplayName("common depends on no other module")
  void commonStandsAlone() {
    check(noClasses().that().resideInAPackage(COMMON)
        .should().dependOnClassesThat().resideInAnyPackage(KERNEL, VALIDATE, BUILD, REGISTRY, GATEWAY, CLI));
  }

  @Test
  @DisplayName("the shared kernel depends on common only, and is plain Java without Vert.x or Kafka")
  void kernelIsPlainJava() {
    check(noClasses().that().resideInAPackage(KERNEL)
        .should().dependOnClassesThat().resideInAnyPackage(VALIDATE, BUILD, REGISTRY, GATEWAY, CLI,
            "io.vertx..", "org.apache.kafka..", "io.garden.common.kafka..", "io.garden.common.worker.."));
  }

  @Test
  @DisplayName("the validate worker depends on no other worker, the gateway or the CLI")
  void validateWorkerAlone() {
    check(noClasses().that().resideInAPackage(VALIDATE)
        .should().dependOnClassesThat().resideInAnyPackage(BUILD, REGISTRY, GATEWAY, CLI));
  }

  @Test
  @DisplayName("the build worker depends on no other worker, the gateway or the CLI")
  void buildWorkerAlone() {
    check(noClasses().that().resideInAPackage(BUILD)
        .should().dependOnClassesThat().resideInAnyPackage(VALIDATE, REGISTRY, GATEWAY, CLI));
  }

  @Test
  @DisplayName("the registry worker depends on no other worker, the gateway or the CLI")
  void registryWorkerAlone() {
    check(noClasses().that().resideInAPackage(REGISTRY)
        .should().dependOnClassesThat().resideInAnyPackage(VALIDATE, BUILD, GATEWAY, CLI));
  }

  @Test
  @DisplayName("the gateway depends on no worker and not on the CLI")
  void gatewayCallsNoWorker() {
    check(noClasses().that().resideInAPackage(GATEWAY)
        .should().dependOnClassesThat().resideInAnyPackage(VALIDATE, BUILD, REGISTRY, CLI));
  }

  @Test
  @DisplayName("a door never imports another door")
  void doorsStandApart() {
    check(noClasses().that().resideInAPackage(API_DOOR)
        .should().dependOnClassesThat().resideInAnyPackage(WEBHOOK_DOOR, CHAT_DOOR));
    check(noClasses().that().resideInAPackage(WEBHOOK_DOOR)
        .should().dependOnClassesThat().resideInAnyPackage(API_DOOR, CHAT_DOOR));
    check(noClasses().that().resideInAPackage(CHAT_DOOR)
        .should().dependOnClassesThat().resideInAnyPackage(API_DOOR, WEBHOOK_DOOR));
  }

  @Test
  @DisplayName("what the doors share (intake, http, sources, views, the coordinator) imports no door and not the gateway's"
      + " composition root, and the gateway's packages form no cycle")
  void gatewayLayers() {
    check(noClasses().that().resideInAnyPackage("io.garden.gateway.intake..", "io.garden.gateway.http..",
            "io.garden.gateway.sources..",
            "io.garden.gateway.views..", "io.garden.gateway.coordinator..")
        .should().dependOnClassesThat().resideInAnyPackage(API_DOOR, WEBHOOK_DOOR, CHAT_DOOR, "io.garden.gateway"));
    check(com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("io.garden.gateway.(*)..").should().beFreeOfCycles());
  }

  @Test
  @DisplayName("only the format owner sets up Jackson and SnakeYAML (one JSON owner, one YAML owner)")
  void oneFormatOwner() {
    check(noClasses().that().resideOutsideOfPackage("io.garden.common.format..")
        .should().callConstructor(com.fasterxml.jackson.databind.ObjectMapper.class)
        .orShould().callMethod(com.fasterxml.jackson.databind.json.JsonMapper.class, "builder")
        .orShould().callMethod(com.fasterxml.jackson.core.JsonFactory.class, "builder")
        .orShould().callConstructor(org.yaml.snakeyaml.LoaderOptions.class)
        .orShould().callConstructor(org.yaml.snakeyaml.DumperOptions.class));
  }

  private static void check(ArchRule rule) {
    rule.check(CLASSES);
  }
}
