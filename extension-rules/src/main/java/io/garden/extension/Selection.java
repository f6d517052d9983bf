package io.garden.extension;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.Finding;
import io.garden.extension.model.InvalidExtensionException;

import java.util.ArrayList;
import java.util.List;

/**
 * The extensions a command or request works on, plus the ones it asked for that could not be used (bad name,
 * outside the repository, not found): those become findings and the run goes on with the rest.
 */
public record Selection(List<ExtensionRef> extensions, List<ExtensionReport> rejected) {

  public static Selection all(ExtensionDiscovery discovery) {
    ExtensionDiscovery.Scan scan = discovery.all();
    return new Selection(scan.extensions(), scan.rejected().stream().map(Selection::reject).toList());
  }

  public static Selection of(ExtensionDiscovery discovery, List<String> ids) {
    List<ExtensionRef> found = new ArrayList<>();
    List<ExtensionReport> rejected = new ArrayList<>();
    for (String id : ids) {
      try {
        found.add(discovery.resolveId(id));
      } catch (InvalidExtensionException e) {
        rejected.add(reject(e));
      }
    }
    found.sort(null);
    return new Selection(List.copyOf(found), List.copyOf(rejected));
  }

  private static ExtensionReport reject(InvalidExtensionException e) {
    return new ExtensionReport(e.id(), List.of(Finding.error("extension.invalid", e.id(), null, e.getMessage())));
  }
}
