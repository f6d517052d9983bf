#!/usr/bin/env bash
# The base of the service images, made from this machine's JDK without pulling anything: a jlink'ed Java 17 runtime,
# the shared libraries it and git need (found with ldd), git (workers check out pull requests), CA certificates, and
# a non-root user. Jib puts it under the application layers (`mvn -Pimages package`), FROM scratch.
#
#   scripts/jre-rootfs.sh OUT     writes the root file system into OUT (made again only when OUT/.complete is missing)
#
# Needs: jlink and the JDK's jmods (Debian: openjdk-17-jdk-headless, openjdk-17-jmods), git, ldd.
set -euo pipefail

OUT="${1:?usage: scripts/jre-rootfs.sh OUT}"
[ -f "$OUT/.complete" ] && exit 0

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
JMODS="$JAVA_HOME/jmods"
if [ ! -d "$JMODS" ]; then
  echo "jre-rootfs: no jmods in $JAVA_HOME (Debian: apt-get install openjdk-17-jmods)" >&2
  exit 1
fi

# What the services use: Kafka clients (management, naming, sasl, jgss), Jackson and SnakeYAML (sql, desktop for
# java.beans), Micrometer (jdk.management), the AWS SDK (net.http, crypto), Vert.x/Netty (unsupported).
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,\
java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

rm -rf "$OUT"
mkdir -p "$OUT/opt" "$OUT/etc" "$OUT/tmp" "$OUT/data" "$OUT/home/garden" "$OUT/usr/bin" "$OUT/usr/lib/git-core"
"$JAVA_HOME/bin/jlink" --module-path "$JMODS" --add-modules "$MODULES" --output "$OUT/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=2
# Debian links the JDK's trust store to /etc; the image gets the file itself.
if [ -f /etc/ssl/certs/java/cacerts ]; then
  rm -f "$OUT/opt/java/lib/security/cacerts"
  cp -L /etc/ssl/certs/java/cacerts "$OUT/opt/java/lib/security/cacerts"
fi
# A server has no screen: AWT's display, font and image libraries would pull in X11 and friends for nothing.
for gui in libawt_xawt.so libsplashscreen.so libjawt.so libfontmanager.so liblcms.so libjavajpeg.so; do
  rm -f "$OUT/opt/java/lib/$gui"
done
# The class-data archive of the runtime itself: faster start of every service and health check.
"$OUT/opt/java/bin/java" -Xshare:dump >/dev/null 2>&1 || true

cp -L "$(command -v git)" "$OUT/usr/bin/git"
for helper in git-remote-http git-remote-https; do
  [ -e "/usr/lib/git-core/$helper" ] && cp -L "/usr/lib/git-core/$helper" "$OUT/usr/lib/git-core/$helper"
done
mkdir -p "$OUT/etc/ssl/certs"
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$OUT/etc/ssl/certs/"

# Every shared library the binaries above load, at the path the loader looks for it.
{
  find "$OUT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \)
  find "$OUT/usr" -type f
} | while read -r binary; do
  ldd "$binary" 2>/dev/null | awk '$3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}'
done | grep -v "^$OUT/" | sort -u | while read -r lib; do
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"
done

cat > "$OUT/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
garden:x:10001:10001:garden:/home/garden:/sbin/nologin
PASSWD
cat > "$OUT/etc/group" <<GROUP
root:x:0:
garden:x:10001:
GROUP
echo "hosts: files dns" > "$OUT/etc/nsswitch.conf"
touch "$OUT/.complete"
echo "jre-rootfs: $(du -sh "$OUT" | cut -f1) in $OUT" >&2
