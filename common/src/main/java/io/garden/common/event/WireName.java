package io.garden.common.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A closed set of names that travel on the wire (steps, actions). Each is an enum implementing this, so a value
 * outside the set is refused when a record is decoded (a permanent error: the record is dead-lettered), never
 * discovered half-way through the work.
 */
public interface WireName {

  /** The name as it appears in JSON and on the command line. */
  String wire();

  /**
   * The constant of {@code type} whose wire name is {@code value}.
   *
   * @param what what the name is, for the message ("step", "registry action")
   * @throws IllegalArgumentException naming the value and every accepted one
   */
  static <E extends Enum<E> & WireName> E parse(Class<E> type, String what, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wire().equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + value + "'; expected one of: "
        + Arrays.stream(type.getEnumConstants()).map(WireName::wire).collect(Collectors.joining(", ")));
  }
}
