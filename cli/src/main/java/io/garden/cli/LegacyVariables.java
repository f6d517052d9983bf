package io.garden.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The old toolchain's variables ({@code STAGE}, {@code DRY_RUN}, {@code FORCE}, {@code BUILD}, {@code TYPE},
 * {@code NAME}) set in the environment are never silently ignored. One rule: a command that has the matching flag
 * or argument must be given the same thing on its command line, else it refuses (exit 2) and names the flag to
 * use. A command without that flag ignores the variable, as its old make target did ({@code make validate} never
 * read {@code STAGE}). The generated Makefile passes every variable as its flag, so it always agrees.
 *
 * <p>Not read from the environment on purpose: a variable left exported in a shell would otherwise turn the next
 * {@code garden publish-registry} into a prod publish.
 */
final class LegacyVariables {

  /** Commands that are not old make targets: their options mean other things ({@code makefile --force}). */
  private static final Set<String> NOT_OLD_TARGETS = Set.of("makefile", "token", "doctor", "bench", "up",
      "gateway", "worker", "tail", "status", "pipelines", "cancel");

  private LegacyVariables() {
  }

  /**
   * What the environment says that the command line does not; empty when they agree.
   *
   * @param parsed the whole command line, {@code garden} first
   */
  static Optional<String> check(Map<String, String> env, ParseResult parsed) {
    if (!parsed.hasSubcommand() || NOT_OLD_TARGETS.contains(parsed.subcommand().commandSpec().name())) {
      return Optional.empty();
    }
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      if (command.isUsageHelpRequested() || command.isVersionHelpRequested()) {
        return Optional.empty();
      }
      command = command.subcommand();
    }
    if (command.isUsageHelpRequested()) {
      return Optional.empty();
    }
    CommandSpec spec = command.commandSpec();
    List<String> problems = new ArrayList<>();
    stage(env, command).ifPresent(problems::add);
    for (String[] flag : List.of(new String[] {"DRY_RUN", "--dry-run"}, new String[] {"BUILD", "--build"},
        new String[] {"FORCE", "--force"})) {
      switchFlag(env, command, flag[0], flag[1]).ifPresent(problems::add);
    }
    target(env, command).ifPresent(problems::add);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Error: " + String.join("; ", problems) + ". garden " + spec.name() + " takes these as flags"
        + " and arguments only (see docs/MIGRATING.md, 'The old variables'); unset the variable, or give the flag");
  }

  private static Optional<String> stage(Map<String, String> env, ParseResult command) {
    String wanted = value(env, "STAGE");
    OptionSpec option = command.commandSpec().findOption("--stage");
    if (wanted == null || option == null) {
      return Optional.empty();
    }
    String given = String.valueOf((Object) option.getValue());
    return wanted.equals(given) ? Optional.empty() : Optional.of("STAGE=" + wanted + " is set, but this command runs"
        + " for stage " + given + (command.hasMatchedOption("--stage") ? "" : " (the default)") + ": pass --stage "
        + wanted);
  }

  /** A switch the Makefile turned on with 1/true/yes; publish-registry's --force also names TYPE NAME. */
  private static Optional<String> switchFlag(Map<String, String> env, ParseResult command, String variable,
                                             String flag) {
    String value = value(env, variable);
    OptionSpec option = command.commandSpec().findOption(flag);
    if (value == null || option == null) {
      return Optional.empty();
    }
    boolean on = yes(value);
    if (on == command.hasMatchedOption(flag)) {
      return Optional.empty();
    }
    String usage = option.arity().min() == 2 ? flag + " TYPE NAME" : flag;
    return Optional.of(on ? variable + "=" + value + " is set: pass " + usage
        : variable + "=" + value + " is set (off), but " + flag + " was given");
  }

  /** TYPE and NAME: the command's TYPE NAME arguments, or the pair {@code --force} names. */
  private static Optional<String> target(Map<String, String> env, ParseResult command) {
    String type = value(env, "TYPE");
    String name = value(env, "NAME");
    if (type == null && name == null) {
      return Optional.empty();
    }
    List<String> given = positionalTarget(command);
    if (given == null) {
      OptionSpec force = command.commandSpec().findOption("--force");
      if (force == null || force.arity().min() != 2 || !command.hasMatchedOption("--force")) {
        return Optional.empty();
      }
      given = command.matchedOption("--force").getValue();
    }
    List<String> wanted = new ArrayList<>();
    wanted.add(type);
    wanted.add(name);
    List<String> actual = new ArrayList<>(given);
    while (actual.size() < 2) {
      actual.add(null);
    }
    if (Objects.equals(wanted.get(0), actual.get(0)) && Objects.equals(wanted.get(1), actual.get(1))) {
      return Optional.empty();
    }
    String pair = (type == null ? "" : "TYPE=" + type) + (type != null && name != null ? " " : "")
        + (name == null ? "" : "NAME=" + name);
    return Optional.of(pair + " is set, but the command names " + (actual.get(0) == null ? "no extension"
        : actual.get(0) + " " + actual.get(1)) + ": pass them as arguments (" + Objects.toString(type, "TYPE") + " "
        + Objects.toString(name, "NAME") + ")");
  }

  /** The values of the command's TYPE and NAME arguments, or null when it has none. */
  private static List<String> positionalTarget(ParseResult command) {
    List<PositionalParamSpec> positionals = command.commandSpec().positionalParameters();
    PositionalParamSpec type = positionals.stream().filter(p -> "TYPE".equals(p.paramLabel())).findFirst()
        .orElse(null);
    PositionalParamSpec name = positionals.stream().filter(p -> "NAME".equals(p.paramLabel())).findFirst()
        .orElse(null);
    if (type == null || name == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    values.add(command.hasMatchedPositional(type.index().min()) ? type.getValue() : null);
    values.add(command.hasMatchedPositional(name.index().min()) ? name.getValue() : null);
    return values;
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** As the old Makefile read a switch: 1, true or yes is on; anything else is off. */
  static boolean yes(String value) {
    return Set.of("1", "true", "yes").contains(value.toLowerCase(Locale.ROOT));
  }
}
