package io.garden.registry;

import io.garden.common.event.EventCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexEntryTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  @DisplayName("an entry names its own pinned images with their digests (what a release was made of); unpinned and"
      + " other people's images are not listed")
  void listsItsPinnedImages() throws Exception {
    IndexEntry entry = IndexEntry.of(EventCodec.shared().mapper().readTree("{\"name\":\"team-notes\",\"version\":"
        + "\"1.4.2\",\"compose_yml\":\"services:\\n  web:\\n    image: localhost:5000/kamiwazaai/team-notes-web:1.4.2@"
        + DIGEST + "\\n  db:\\n    image: postgres:16\\n  api:\\n    image: kamiwazaai/team-notes-api:1.4.2\\n\"}"));
    assertThat(entry.pinnedImages()).containsExactly("kamiwazaai/team-notes-web:1.4.2@" + DIGEST);
  }
}
