package io.garden.extension.manifest;

import java.util.regex.Pattern;

/**
 * The syntax of {@code kamiwaza_version}: comma-separated clauses of an operator and a version
 * ({@code >=0.8.0,<1.0.0}); {@code major.minor} versions and a bare version (meaning {@code ==}) are accepted;
 * empty or {@code *} means any platform version. The meaning (sets of versions) is the registry's business.
 */
public final class KamiwazaVersionSyntax {

  private static final Pattern CLAUSE = Pattern.compile(
      "(>=|<=|==|!=|~=|>|<)?\\s*v?\\d+\\.\\d+(\\.\\d+)?(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

  private KamiwazaVersionSyntax() {
  }

  public static boolean isValid(String value) {
    if (value == null) {
      return true;
    }
    String v = value.trim();
    if (v.isEmpty() || v.equals("*")) {
      return true;
    }
    for (String clause : v.split(",", -1)) {
      if (!CLAUSE.matcher(clause.trim()).matches()) {
        return false;
      }
    }
    return true;
  }

  public static String message(String value) {
    return "Invalid kamiwaza_version format: " + value
        + " (expected format like '>=0.8.0' or '>=0.8.0,<1.0.0')";
  }
}
