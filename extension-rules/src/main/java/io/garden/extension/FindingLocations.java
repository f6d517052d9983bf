package io.garden.extension;

import io.garden.common.model.DocumentPositions;
import io.garden.common.model.Finding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gives each finding that points into a document ({@link Finding#path()}) the line and column of that place, so
 * rules only say <em>what</em> they looked at and one place says where it is in the file. Each file with findings
 * is read for positions once; a run without findings does no work here.
 */
final class FindingLocations {

  private FindingLocations() {
  }

  static List<Finding> fill(List<Finding> findings, Function<String, Optional<DocumentPositions>> positionsOf) {
    if (findings.stream().noneMatch(FindingLocations::needsPosition)) {
      return findings;
    }
    Map<String, Optional<DocumentPositions>> byFile = new HashMap<>();
    return findings.stream().map(f -> {
      if (!needsPosition(f)) {
        return f;
      }
      Optional<DocumentPositions> positions = byFile.computeIfAbsent(f.file(), positionsOf);
      return positions.flatMap(p -> p.find(f.path()))
          .map(at -> f.locatedAt(at.line(), at.column()))
          .orElse(f);
    }).toList();
  }

  private static boolean needsPosition(Finding f) {
    return f.line() == 0 && f.path() != null && f.file() != null;
  }
}
