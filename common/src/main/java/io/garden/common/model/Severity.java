package io.garden.common.model;

/** How bad a finding is: errors fail validation (exit 1), warnings are reported only. */
public enum Severity {
  ERROR,
  WARNING
}
