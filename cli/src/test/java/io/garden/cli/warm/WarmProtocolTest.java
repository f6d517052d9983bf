package io.garden.cli.warm;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmProtocolTest {

  private static ByteArrayInputStream fields(String... fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String field : fields) {
      bytes.writeBytes(field.getBytes(StandardCharsets.UTF_8));
      bytes.write(0);
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  @Test
  @DisplayName("a request carries the folder, the arguments as given (spaces, newlines) and the environment")
  void readsARequest() throws IOException {
    WarmProtocol.Request request = WarmProtocol.readRequest("0123456789abcdef", fields("/work/repo", "3",
        "validate", "app", "a name\nwith a newline", "HOME=/root", "EMPTY=", "X=a=b", ""));
    assertThat(request.cwd()).isEqualTo(Path.of("/work/repo"));
    assertThat(request.args()).containsExactly("validate", "app", "a name\nwith a newline");
    assertThat(request.env()).isEqualTo(Map.of("HOME", "/root", "EMPTY", "", "X", "a=b"));
  }

  @Test
  @DisplayName("a request that is cut short, oversized or malformed is refused before it is acted on")
  void malformedRequestsAreRefused() {
    String sid = "0123456789abcdef";
    assertThatThrownBy(() -> WarmProtocol.readRequest(sid, fields("/work", "2", "validate")))
        .hasMessageContaining("ended early");
    assertThatThrownBy(() -> WarmProtocol.readRequest(sid, fields("relative", "0", "")))
        .hasMessageContaining("not absolute");
    assertThatThrownBy(() -> WarmProtocol.readRequest(sid, fields("/work", "999999", "")))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> WarmProtocol.sid("../../etc")).hasMessageContaining("not a session id");
    assertThatThrownBy(() -> WarmProtocol.readRequest(sid, fields("/work", "0", "NOEQUALS", "")))
        .hasMessageContaining("not an environment entry");
    String huge = "x".repeat(WarmProtocol.MAX_FIELD_BYTES + 1);
    assertThatThrownBy(() -> WarmProtocol.read(fields(huge))).hasMessageContaining("longer than");
    assertThat(List.of(WarmProtocol.RUN, WarmProtocol.OUT, WarmProtocol.ERR)).doesNotHaveDuplicates();
  }
}
