package io.garden.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubcommandsTest {

  @Test
  @DisplayName("every subcommand is registered under its own @Command name")
  void namesMatchTheirClasses() throws Exception {
    for (Map.Entry<String, String> entry : Subcommands.ALL.entrySet()) {
      Command command = Subcommands.commandClass(entry.getKey()).getAnnotation(Command.class);
      assertThat(command).as(entry.getValue()).isNotNull();
      assertThat(command.name()).as(entry.getValue()).isEqualTo(entry.getKey());
    }
  }

  @Test
  @DisplayName("a command line gets only the subcommand it names; --version none; help and mistakes all of them")
  void onlyWhatIsNeeded() {
    assertThat(root("validate", "--repo", ".").getSubcommands()).containsOnlyKeys("validate");
    assertThat(root("--version").getSubcommands()).isEmpty();
    assertThat(root("--help").getSubcommands()).containsOnlyKeys(Subcommands.ALL.keySet());
    assertThat(root("valdiate").getSubcommands()).containsOnlyKeys(Subcommands.ALL.keySet());
    assertThat(root().getSubcommands()).containsOnlyKeys(Subcommands.ALL.keySet());
  }

  @Test
  @DisplayName("without the bench module on the class path, garden bench says where the benchmarks are")
  void benchOutsideThisBuildExplainsItself() {
    CliRun run = CliRun.of("bench", "startup", "--runs", "3");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("the benchmarks are not part of this build").contains("./garden bench");
    assertThat(CliRun.of("--help").out()).contains("bench");
  }

  @Test
  @DisplayName("a mistyped command is named with the closest one, in words, exit 2; a bad option says where help is")
  void mistypedCommandsAreNamed() {
    CliRun typo = CliRun.of("validat");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err().lines().findFirst()).contains("Unknown command 'validat'. Did you mean 'validate'?");
    assertThat(typo.err()).doesNotContain("Unmatched argument");

    CliRun option = CliRun.of("validate", "--no-such-option");
    assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(option.err()).contains("--no-such-option").contains("Try 'garden validate --help'");
  }

  @Test
  @DisplayName("tail --no-follow with nothing to start from says what to add, exit 2, before asking any gateway")
  void noFollowWithoutSinceSaysWhatToAdd() {
    CliRun tail = CliRun.of("tail", "--no-follow");
    assertThat(tail.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(tail.err()).contains("--no-follow prints what is already on the stream, from --since");
  }

  private static CommandLine root(String... args) {
    CommandLine cli = new CommandLine(new GardenCommand(null, null, Map.of()));
    Subcommands.addFor(cli, args);
    return cli;
  }
}
