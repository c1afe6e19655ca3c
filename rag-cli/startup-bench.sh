#!/usr/bin/env bash
# Start-up benchmark of the rag CLI: runs each command N times (after one warm-up) and prints
# min / median / max wall seconds, with a bare `java -version` of the same JDK timed in the same run
# and each command's median as a ratio to it (the ratio holds on a busy machine; seconds do not).
# Usage: rag-cli/startup-bench.sh [-n RUNS] [INDEX_DIR]
#   INDEX_DIR: an index built with the in-process embedder, e.g.
#   ./rag ingest datasets/corpora/ollama-docs --index /tmp/si --embedder onnx:bge-small-en-v1.5
# Goals (idle 2-core machine): hybrid search <= 1.0 s, keyword search <= 0.6 s.
set -euo pipefail
runs=7
if [ "${1-}" = -n ]; then runs=$2; shift 2; fi
index=${1:-/tmp/si}
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
rag="$root/rag"
. "$root/.mvn/jdk.sh"
LOCALRAG_QUIET_JDK=1 localrag_use_jdk
[ -d "$index" ] || { echo "no index at $index; see the usage in $0" >&2; exit 2; }
LOCALRAG_AOT=wait "$rag" --version >/dev/null # builds when stale, makes the AOT cache when missing

time_once() { # prints wall seconds of "$@" (output discarded)
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

declare -A medians
bench() { # NAME COMMAND...
  local name=$1 i
  shift
  "$@" >/dev/null 2>&1 || true # warm-up (page cache)
  local samples=()
  for ((i = 0; i < runs; i++)); do samples+=("$(time_once "$@")"); done
  mapfile -t sorted < <(printf '%s\n' "${samples[@]}" | sort -n)
  local median=${sorted[$((runs / 2))]}
  medians[$name]=$median
  printf '%-28s min %6.3f  median %6.3f  max %6.3f s' "$name" "${sorted[0]}" "$median" "${sorted[$((runs - 1))]}"
  if [ -n "${medians[java -version]-}" ] && [ "$name" != "java -version" ]; then
    printf '  = %5.1f x java -version' "$(echo "scale=2; $median / ${medians[java -version]}" | bc)"
  fi
  echo
}

echo "rag start-up, $runs runs each; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); JDK $JAVA_HOME"
bench "java -version" "$JAVA_HOME/bin/java" -version
bench "rag --version" "$rag" --version
bench "rag search --mode keyword" "$rag" search --index "$index" --mode keyword "ollama port"
bench "rag search (hybrid)" "$rag" search --index "$index" "which port does ollama listen on"
LOCALRAG_AOT=off bench "keyword, no AOT cache" "$rag" search --index "$index" --mode keyword "ollama port"
LOCALRAG_AOT=off bench "hybrid, no AOT cache" "$rag" search --index "$index" "which port does ollama listen on"
