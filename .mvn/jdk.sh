# shellcheck shell=sh
# Picks a JDK >= 21 for LocalRAG; sourced by ./rag and ./mvnw.
# Order: JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm (or
# LOCALRAG_JDK_DIRS, space-separated), else `java` on PATH if it is >= 21, else a clear error.

# Picking costs no extra process when the JDKs have a `release` file (all do since JDK 9): it is
# read with the shell's own `read`, and the JDK folders are listed with a glob.

localrag_read_major() { # $1 = a JDK home; sets _lr_major to its major version, or to "" when unknown
  _lr_major=""
  if [ -r "$1/release" ]; then
    while IFS= read -r _lr_line || [ -n "$_lr_line" ]; do
      case "$_lr_line" in
      JAVA_VERSION=\"*)
        _lr_major=${_lr_line#JAVA_VERSION=\"}
        _lr_major=${_lr_major%%\"*}
        break
        ;;
      esac
    done <"$1/release"
  fi
  if [ -z "$_lr_major" ] && [ -x "$1/bin/java" ]; then
    _lr_major=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$_lr_major" in
  1.*) _lr_major=${_lr_major#1.} ;;
  esac
  _lr_major=${_lr_major%%[!0-9]*}
}

localrag_java_major() { # $1 = a JDK home; prints its major version or nothing
  localrag_read_major "$1"
  printf '%s' "$_lr_major"
}

localrag_is_jdk21() { # $1 = a JDK home with java and javac, version >= 21 (sets _lr_major)
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  localrag_read_major "$1"
  [ -n "$_lr_major" ] && [ "$_lr_major" -ge 21 ]
}

localrag_use_jdk() { # exports JAVA_HOME, or prints what to install and returns 1
  if [ -n "${JAVA_HOME-}" ] && localrag_is_jdk21 "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  _lr_best="" _lr_best_major=0
  for _lr_dir in ${LOCALRAG_JDK_DIRS:-/usr/lib/jvm}; do
    [ -d "$_lr_dir" ] || continue
    case $- in *f*) _lr_noglob=1 && set +f ;; *) _lr_noglob="" ;; esac # ./mvnw runs with set -f
    for _lr_home in "$_lr_dir"/*; do # sorted, as the glob is
      [ -d "$_lr_home" ] || continue
      if localrag_is_jdk21 "$_lr_home" && [ "$_lr_major" -gt "$_lr_best_major" ]; then
        _lr_best=$_lr_home _lr_best_major=$_lr_major
      fi
    done
    [ -z "$_lr_noglob" ] || set -f
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
