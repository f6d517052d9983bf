package io.garden.gateway.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.garden.common.format.Json;

import java.util.Collection;
import java.util.Map;

/**
 * A request body that does not fit the request's shape, said in the caller's words: which field, and what it must
 * be. Jackson's own message names its classes and settings, which mean nothing to an API caller.
 */
final class RequestErrors {

  private RequestErrors() {
  }

  static String describe(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return "the body does not have the shape of a pipeline request (see gateway/README.md)";
    }
    String field = Json.fieldPath(e);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root instanceof IllegalArgumentException && root.getMessage() != null) {
      // Our own types refuse values with messages written for people ("unknown step 'x'; expected ...").
      return "'" + field + "': " + root.getMessage();
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "'" + field + "' must be " + kind(mismatch.getTargetType());
    }
    return "'" + field + "' is not valid";
  }

  private static String kind(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "text";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    if (type.isEnum()) {
      return "one of its known values";
    }
    return "a " + type.getSimpleName();
  }
}
