# shellcheck shell=sh
# Runs the rag CLI; sourced by ./rag (a source checkout) and bin/rag (the distribution).
# localrag_run JAR ARGS...: runs dev.localrag.cli.Main from JAR (its lib/ beside it) with $JAVA_HOME,
# and with the JVM's ahead-of-time cache:
#  - JDK 25+: an AOT cache (-XX:AOTCache) that a training run (dev.localrag.cli.AotTraining) writes
#    in the background the first time this JDK runs this build; calls before it is ready run without.
#  - JDK 21-24: a dynamic class-data-sharing archive written at the end of the first call.
# The caches live in ${XDG_CACHE_HOME:-~/.cache}/localrag (LOCALRAG_CACHE_DIR) under a name made from the
# JDK and the jars, so a rebuild or another JDK gets a new one. LOCALRAG_AOT=off runs without.
# In-process ONNX models keep their optimized graphs there too (-Dlocalrag.cacheDir), unless LOCALRAG_AOT=off.
# Nothing is written to the working directory: a JVM crash report (hs_err_pid*.log) goes to the
# cache folder too, and the training runs there (a killed training leaves nothing behind).
# The JDK's Vector API (jdk.incubator.vector, for Lucene's SIMD) is left out unless
# LOCALRAG_VECTOR_API=on: it costs start-up, and the JDK prints a warning whenever it is added.
localrag_run() {
  _lr_jar=$1
  shift
  _lr_java="$JAVA_HOME/bin/java"
  # -Xlog:disable: no JVM log lines on stdout (e.g. a cache made by another JDK); errors go to stderr
  _lr_opts="-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Xlog:disable -Xlog:all=error:stderr"
  case "${LOCALRAG_VECTOR_API-}" in
  on | true | 1) _lr_opts="$_lr_opts --add-modules jdk.incubator.vector" ;;
  esac
  # Java decodes file names with the locale's charset: under a non-UTF-8 locale (POSIX "C", say) names
  # with accents or CJK characters could not be read. Use UTF-8 for names when the locale is not.
  case "$(locale charmap 2>/dev/null)" in
  UTF-8 | utf8) ;;
  *) export LC_ALL=C.UTF-8 ;;
  esac
  localrag_jit "$@"
  _lr_opts_run="$_lr_opts $_lr_jit" # not part of the cache's name: the same cache serves both
  case "${LOCALRAG_AOT-}" in
  off | false | 0)
    # shellcheck disable=SC2086
    exec "$_lr_java" $_lr_opts_run -cp "$_lr_jar" dev.localrag.cli.Main "$@"
    ;;
  esac
  _lr_cache_dir=${LOCALRAG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/localrag}
  # few processes from here on: each costs milliseconds, on every call
  localrag_read_major "$JAVA_HOME" # sets _lr_major (jdk.sh)
  case $_lr_jar in */*) _lr_lib=${_lr_jar%/*}/lib ;; *) _lr_lib=lib ;; esac
  _lr_key=$({ echo "$JAVA_HOME $_lr_opts" && cat "$JAVA_HOME/release" 2>/dev/null && ls -lnL "$_lr_jar" "$_lr_lib" 2>/dev/null; } | cksum)
  _lr_key=${_lr_key%% *}
  if { [ ! -d "$_lr_cache_dir" ] && ! mkdir -p "$_lr_cache_dir" 2>/dev/null; } || [ ! -w "$_lr_cache_dir" ]; then
    # shellcheck disable=SC2086
    exec "$_lr_java" $_lr_opts_run -cp "$_lr_jar" dev.localrag.cli.Main "$@"
  fi
  case $_lr_cache_dir in
  /*) ;;
  *) _lr_cache_dir=$(cd "$_lr_cache_dir" && pwd) ;;
  esac
  _lr_cache="$_lr_cache_dir/rag-$_lr_major-$_lr_key"
  _lr_err="-XX:ErrorFile=$_lr_cache_dir/hs_err_pid%p.log" # one argument: the folder may have spaces
  _lr_prop="-Dlocalrag.cacheDir=$_lr_cache_dir" # in-process models keep their optimized graphs there
  if [ "${_lr_major:-0}" -lt 25 ]; then
    # shellcheck disable=SC2086
    exec "$_lr_java" $_lr_opts_run "$_lr_err" "$_lr_prop" "-XX:SharedArchiveFile=$_lr_cache.jsa" -XX:+AutoCreateSharedArchive \
      -cp "$_lr_jar" dev.localrag.cli.Main "$@"
  fi
  if [ -f "$_lr_cache.aot" ]; then
    # shellcheck disable=SC2086
    exec "$_lr_java" $_lr_opts_run "$_lr_err" "$_lr_prop" "-XX:AOTCache=$_lr_cache.aot" -cp "$_lr_jar" dev.localrag.cli.Main "$@"
  fi
  localrag_train "$_lr_java" "$_lr_opts" "$_lr_jar" "$_lr_cache" "$_lr_cache_dir"
  # shellcheck disable=SC2086
  exec "$_lr_java" $_lr_opts_run "$_lr_err" "$_lr_prop" -cp "$_lr_jar" dev.localrag.cli.Main "$@"
}

# localrag_jit ARGS...: sets _lr_jit to -XX:TieredStopAtLevel=1 (the quick C1 JIT compiler only) for
# short commands: C2 compiles for a run that ends first, and on few cores takes the CPU from it. Not
# where vectors are compared: Lucene computes dot products with FMA only when C2 runs, so the scores
# would change in their last digits. Long runs (ingest, serve, mcp, eval, chat) keep both compilers.
localrag_jit() {
  _lr_jit=""
  case "${1-}" in
  status | documents | config | completion | help | -* | "") _lr_jit=-XX:TieredStopAtLevel=1 ;;
  search) # a keyword search only
    _lr_mode="" _lr_prev=""
    for _lr_arg in "$@"; do
      [ "$_lr_arg" != -- ] || break # the rest is the query
      case "$_lr_prev" in --mode) _lr_mode=$_lr_arg ;; esac
      case "$_lr_arg" in --mode=*) _lr_mode=${_lr_arg#--mode=} ;; esac
      _lr_prev=$_lr_arg
    done
    case "$_lr_mode" in keyword | KEYWORD | Keyword) _lr_jit=-XX:TieredStopAtLevel=1 ;; esac
    ;;
  esac
}

# localrag_train JAVA OPTS JAR CACHE CACHE_DIR: writes CACHE.aot in the background (one at a time;
# a lock older than 30 minutes is a crashed run's). LOCALRAG_AOT=wait waits for it (the build, tests).
localrag_train() {
  _lr_lock="$4.lock"
  if [ -d "$_lr_lock" ] && [ -n "$(find "$_lr_lock" -maxdepth 0 -mmin +30 2>/dev/null)" ]; then
    rm -rf "$_lr_lock"
  fi
  if ! mkdir "$_lr_lock" 2>/dev/null; then # another call is training
    if [ "${LOCALRAG_AOT-}" = wait ]; then
      while [ -d "$_lr_lock" ]; do sleep 1; done
    fi
    return 0
  fi
  (
    trap 'rm -rf "$_lr_lock"' EXIT
    cd "$5" # whatever a killed training leaves (a core dump, say) stays in the cache folder
    # shellcheck disable=SC2086
    nice "$1" $2 "$_lr_err" "$_lr_prop" -XX:-CreateCoredumpOnCrash -cp "$3" dev.localrag.cli.AotTraining --prepare "$_lr_lock/work" &&
      nice "$1" $2 "$_lr_err" "$_lr_prop" -XX:-CreateCoredumpOnCrash "-XX:AOTCacheOutput=$4.aot.tmp" -cp "$3" dev.localrag.cli.AotTraining "$_lr_lock/work" &&
      [ -f "$4.aot.tmp" ] && mv -f "$4.aot.tmp" "$4.aot"
    rm -f "$4.aot.tmp" "$4.aot.tmp.config"
    # an older build's caches of this JDK are of no more use
    find "$5" -maxdepth 1 -name 'rag-*.aot' ! -name "$(basename "$4").aot" -mmin +60 -exec rm -f {} + 2>/dev/null
  ) </dev/null >"$4.log" 2>&1 &
  if [ "${LOCALRAG_AOT-}" = wait ]; then
    wait $! || true
  fi
}
