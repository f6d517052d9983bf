package io.garden.extension;

import io.garden.common.model.AtomicFiles;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * new (the old toolchain only made a folder): a working extension that builds, answers {@code /health}, has a
 * test, and passes validation as created.
 */
public final class Scaffold {

  private Scaffold() {
  }

  /** Checks the name against the type's prefix rule before anything is written. */
  public static void checkName(ExtensionType type, String name) {
    if (!ExtensionRef.NAME.matcher(name).matches() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("Invalid extension name '" + name + "': use lowercase letters, digits and"
          + " '-', starting with a letter or digit.");
    }
    if (type == ExtensionType.SERVICE && !name.startsWith("service-")) {
      throw new IllegalArgumentException("A service's name must start with 'service-' (try service-" + name + ")");
    }
    if (type == ExtensionType.TOOL && !name.startsWith("tool-") && !name.startsWith("mcp-")) {
      throw new IllegalArgumentException("A tool's name must start with 'tool-' or 'mcp-' (try tool-" + name + ")");
    }
  }

  /** Writes the files; refuses to touch an existing folder. Returns the extension folder. */
  public static Path create(Path repoRoot, ExtensionType type, String name) {
    checkName(type, name);
    Path dir = repoRoot.resolve(type.folder()).resolve(name);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(type.folder() + "/" + name + " already exists; choose another name");
    }
    Map<String, String> files = files(type, name);
    try {
      Files.createDirectories(dir.resolve("tests"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    files.forEach((file, text) -> AtomicFiles.write(dir.resolve(file), text));
    return dir;
  }

  private static Map<String, String> files(ExtensionType type, String name) {
    String service = type == ExtensionType.APP ? "web" : name;
    Map<String, String> files = new LinkedHashMap<>();
    files.put("kamiwaza.json", manifest(type, name));
    files.put("Dockerfile", """
        FROM python:3.12-slim
        WORKDIR /app
        COPY app.py .
        ENV PORT=8000
        EXPOSE 8000
        HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen('http://localhost:'+os.environ.get('PORT','8000')+'/health')"
        CMD ["python", "app.py"]
        """);
    files.put("docker-compose.yml", """
        # Local development: docker compose up. `garden sync-compose` derives docker-compose.appgarden.yml.
        services:
          %s:
            build: .
            ports:
              - "8000:8000"
            environment:
              - PORT=8000
        """.formatted(service));
    files.put("app.py", """
        \"\"\"%s: a minimal HTTP service with the /health endpoint App Garden checks.\"\"\"
        import json
        import os
        from http.server import BaseHTTPRequestHandler, HTTPServer


        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/health":
                    self._send(200, {"status": "ok"})
                else:
                    self._send(200, {"name": "%s"})

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass


        def serve(port):
            return HTTPServer(("0.0.0.0", port), Handler)


        if __name__ == "__main__":
            serve(int(os.environ.get("PORT", "8000"))).serve_forever()
        """.formatted(name, name));
    files.put("tests/test_health.py", """
        import json
        import threading
        import urllib.request

        import app


        def test_health_answers_ok():
            server = app.serve(0)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/health") as response:
                    assert response.status == 200
                    assert json.load(response) == {"status": "ok"}
            finally:
                server.shutdown()
        """);
    files.put("pyproject.toml", """
        [project]
        name = "%s"
        version = "0.1.0"
        requires-python = ">=3.10"

        [tool.pytest.ini_options]
        testpaths = ["tests"]
        pythonpath = ["."]
        """.formatted(name));
    files.put("README.md", """
        # %s

        A %s for the Kamiwaza App Garden, created with `garden new`.

        - `docker compose up` runs it locally on http://localhost:8000 (`/health` answers `{"status": "ok"}`).
        - `pytest` runs its tests.
        - `garden validate %s %s` checks it; `garden bump --level minor %s %s` raises its version.
        """.formatted(name, type.id(), type.id(), name, type.id(), name));
    return files;
  }

  private static String manifest(ExtensionType type, String name) {
    String image = type == ExtensionType.TOOL ? "\n  \"image\": \"kamiwazaai/" + name + ":0.1.0\",\n"
        + "  \"capabilities\": [],\n  \"required_env_vars\": []," : "";
    return """
        {
          "name": "%s",
          "display_name": "%s",
          "version": "0.1.0",
          "kamiwaza_version": ">=0.8.0",
          "source_type": "kamiwaza",
          "visibility": "private",
          "description": "%s created with garden new: describe what it does here.",
          "category": "development",
          "tags": [],
          "author": "",
          "license": "MIT",
          "risk_tier": 1,
          "verified": false,
          "template_type": "%s",%s
          "env_defaults": {"PORT": "8000"}
        }
        """.formatted(name, title(name), title(name), type.id(), image);
  }

  private static String title(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("-")) {
      if (!part.isEmpty()) {
        out.append(out.isEmpty() ? "" : " ").append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.toString();
  }
}
