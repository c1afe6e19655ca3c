# shellcheck shell=sh
# Picks a JDK >= 21 for LocalRAG; sourced by ./rag and ./mvnw.
# Order: JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm (or
# LOCALRAG_JDK_DIRS, space-separated), else `java` on PATH if it is >= 21, else a clear error.

localrag_java_major() { # $1 = a JDK home; prints its major version or nothing
  _lr_v=""
  if [ -r "$1/release" ]; then
    _lr_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  fi
  if [ -z "$_lr_v" ] && [ -x "$1/bin/java" ]; then
    _lr_v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$_lr_v" in
  1.*) _lr_v=${_lr_v#1.} ;;
  esac
  _lr_v=${_lr_v%%[!0-9]*}
  printf '%s' "$_lr_v"
}

localrag_is_jdk21() { # $1 = a JDK home with java and javac, version >= 21
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _lr_m=$(localrag_java_major "$1")
  [ -n "$_lr_m" ] && [ "$_lr_m" -ge 21 ]
}

localrag_use_jdk() { # exports JAVA_HOME, or prints what to install and returns 1
  if [ -n "${JAVA_HOME-}" ] && localrag_is_jdk21 "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  _lr_best="" _lr_best_major=0
  for _lr_dir in ${LOCALRAG_JDK_DIRS:-/usr/lib/jvm}; do
    [ -d "$_lr_dir" ] || continue
    for _lr_home in $(find "$_lr_dir" -mindepth 1 -maxdepth 1 \( -type d -o -type l \) 2>/dev/null | sort); do
      if localrag_is_jdk21 "$_lr_home"; then
        _lr_m=$(localrag_java_major "$_lr_home")
        if [ "$_lr_m" -gt "$_lr_best_major" ]; then
          _lr_best=$_lr_home _lr_best_major=$_lr_m
        fi
      fi
    done
  done
  if [ -z "$_lr_best" ] && command -v javac >/dev/null 2>&1; then
    _lr_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    localrag_is_jdk21 "$_lr_home" && _lr_best=$_lr_home
  fi
  if [ -z "$_lr_best" ]; then
    echo "LocalRAG needs a JDK 21 or newer (Lucene 10 requires it)." >&2
    [ -n "${JAVA_HOME-}" ] && echo "JAVA_HOME=$JAVA_HOME is older than 21 or not a JDK." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and set JAVA_HOME to it." >&2
    return 1
  fi
  [ -n "${JAVA_HOME-}" ] && [ "${LOCALRAG_QUIET_JDK-}" != 1 ] &&
    echo "LocalRAG: JAVA_HOME=$JAVA_HOME is not a JDK >= 21; using $_lr_best" >&2
  JAVA_HOME=$_lr_best
  export JAVA_HOME
}
