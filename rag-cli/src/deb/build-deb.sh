#!/bin/sh
# Builds target/localrag_VERSION_amd64.deb: jlink makes a runtime of only the JDK modules LocalRAG
# uses (found with jdeps, plus what it loads by name: extra charsets, zip file systems), then
# jpackage makes the package: /opt/localrag (the launcher bin/rag, the jars, the runtime, the
# completion scripts), and its maintainer scripts (resources/) link /usr/bin/rag and the bash
# completion. Run by the rag-cli "deb" profile in ./mvnw package; prints how long each step took.
# Usage: build-deb.sh JDK_HOME VERSION TARGET_DIR RESOURCE_DIR
set -eu
jdk=$1 version=${2%%-*} target=$3 resources=$4
modules=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.security.jgss
modules=$modules,java.sql,jdk.incubator.vector,jdk.management,jdk.unsupported,jdk.charsets,jdk.zipfs
work="$target/deb"
rm -rf "$work" "$target"/localrag_*.deb
mkdir -p "$work/input" "$work/content"
cp "$target/rag-cli.jar" "$work/input/"
cp -r "$target/lib" "$work/input/lib"
cp -r "$target/completion" "$work/content/completion"

start=$(date +%s)
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$work/runtime" 2>&1 | grep -v 'incubator modules' || true
[ -x "$work/runtime/bin/java" ] || { echo "jlink failed" >&2; exit 1; }
# headless: the CLI and the server never open a window or play a sound, so the package needs no X11
# or ALSA libraries (java.desktop stays for the document parsers' image and font classes)
rm -f "$work/runtime/lib/libawt_xawt.so" "$work/runtime/lib/libsplashscreen.so" "$work/runtime/lib/libjsound.so"
linked=$(date +%s)

# gzip -1: the jars are compressed already; dpkg-deb's default (xz) takes minutes on 300 MB
DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1 "$jdk/bin/jpackage" --type deb \
  --dest "$target" --name rag --app-version "$version" --vendor LocalRAG \
  --description "LocalRAG: retrieval-augmented generation on local models" \
  --input "$work/input" --main-jar rag-cli.jar --main-class dev.localrag.cli.Main \
  --runtime-image "$work/runtime" --app-content "$work/content/completion" \
  --install-dir /opt --linux-package-name localrag --linux-deb-maintainer maintainers@localrag.dev \
  --linux-app-category utils --resource-dir "$resources" \
  --java-options "-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Xlog:disable -Xlog:all=error:stderr -Djava.awt.headless=true -XX:ErrorFile=/tmp/localrag-hs_err_pid%p.log"
done=$(date +%s)
echo "localrag_${version}_amd64.deb: jlink $((linked - start)) s, jpackage $((done - linked)) s"
