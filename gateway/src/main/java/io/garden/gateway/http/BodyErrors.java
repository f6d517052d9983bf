package io.garden.gateway.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A body that is not one well-formed JSON value, said in a caller's words with the place: the parser's own messages
 * name its classes, token codes and settings ("Unexpected character ('}' (code 125))"), which mean nothing to a
 * caller and tell an attacker which library answers.
 */
public final class BodyErrors {

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.{1,100})'");

  private BodyErrors() {
  }

  public static String describe(IOException e) {
    String original = e instanceof JsonProcessingException json ? json.getOriginalMessage() : null;
    String at = place(e);
    if (original != null) {
      Matcher duplicate = DUPLICATE.matcher(original);
      if (duplicate.find()) {
        return "the request body gives '" + printable(duplicate.group(1)) + "' twice" + at
            + ": give each field once";
      }
      if (original.startsWith("Trailing token")) {
        return "the request body has more after its JSON value" + at + ": send one JSON object";
      }
      if (original.contains("end-of-input")) {
        return "the request body ends before its JSON value does" + at;
      }
      if (original.contains("exceeds the maximum") || original.contains("Constraints")) {
        return "the request body nests or holds more than a request may" + at;
      }
    }
    return "the request body is not valid JSON" + at;
  }

  private static String place(IOException e) {
    if (e instanceof JsonProcessingException json && json.getLocation() != null) {
      JsonLocation location = json.getLocation();
      if (location.getLineNr() > 0) {
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
      }
    }
    return "";
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\x20-\\x7E]", "?");
  }
}
