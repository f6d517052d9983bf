package io.garden.registry.publish;

/**
 * Points in a publish where a test can make it fail, as a crash would. Production uses {@link #NONE}.
 * Points: {@code after-lock}, {@code after-read}, {@code after-write:apps.json}, {@code after-write:tools.json},
 * {@code before-verify}, {@code before-release}.
 */
@FunctionalInterface
public interface Faults {

  void at(String point);

  Faults NONE = point -> { };
}
