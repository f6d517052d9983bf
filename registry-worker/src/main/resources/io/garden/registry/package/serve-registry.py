#!/usr/bin/env python3
"""Serves this Kamiwaza extension registry package over HTTPS (or --http), read-only.

Written by garden build-registry. Only files inside the package are served, never a directory listing.
"""

import argparse
import functools
import http.server
import ssl
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


class RegistryHandler(http.server.SimpleHTTPRequestHandler):
    """GET and HEAD of the package's files, with CORS so a browser-side platform can read the indexes."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        super().end_headers()

    def do_OPTIONS(self):
        self.send_response(204)
        self.end_headers()

    def list_directory(self, path):
        self.send_error(404, "no listings")
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=58888, help="port (default 58888)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 shares it with your network)")
    parser.add_argument("--http", action="store_true", help="plain HTTP, no certificate (one machine only)")
    args = parser.parse_args()

    layouts = sorted(p.name for p in (ROOT / "garden").iterdir() if (p / "apps.json").is_file())
    if not layouts:
        sys.exit(f"no garden/*/apps.json under {ROOT}: not a registry package")
    handler = functools.partial(RegistryHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    scheme = "http"
    if not args.http:
        cert, key = ROOT / ".certs" / "server.pem", ROOT / ".certs" / "server.key"
        if not cert.is_file() or not key.is_file():
            sys.exit("no certificate in .certs/: run ./package-setup.sh --serve (or serve with --http)")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    port = server.server_address[1]
    print(f"Serving {ROOT} at {scheme}://{args.host}:{port}", flush=True)
    for layout in layouts:
        print(f"  {scheme}://{args.host}:{port}/garden/{layout}/apps.json", flush=True)
        print(f"  {scheme}://{args.host}:{port}/garden/{layout}/tools.json", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
