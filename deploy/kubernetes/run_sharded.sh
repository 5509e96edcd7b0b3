#!/usr/bin/env bash
# Runs a wrk-deno test split over SHARDS pods of a Kubernetes Indexed Job (wrk_deno_job.yaml beside this
# file), then collects each pod's JSON result from its log and merges them into the report of the whole test
# (docs/scale-out.md):
#
#   deploy/kubernetes/run_sharded.sh [-n SHARDS] [-i IMAGE] [-w START_DELAY_S] [-o DIR] [-m 'MERGE OPTIONS'] \
#     -- -t2 -c400 -d60s -R 20k http://my-service:8080/
#
# -n shards (default 4), -i the image (default wrk-deno:latest, built from the repository's Dockerfile), -w how
# long from now the shards start together (default 60 s: long enough for every pod to be scheduled and its image
# pulled), -o where the shards' JSON files go (default ./wrk-deno-shards), -m options for `wrk-deno merge`
# (for example "--latency --threshold 'p99 < 200ms'"). Needs kubectl (KUBECTL to use another) pointing at the
# cluster, and wrk-deno on this machine for the merge (WRK_DENO to use another command).
set -euo pipefail

shards=4
image=wrk-deno:latest
delay_s=60
out_dir=wrk-deno-shards
merge_options=""
while getopts "n:i:w:o:m:" flag; do
  case "$flag" in
  n) shards=$OPTARG ;;
  i) image=$OPTARG ;;
  w) delay_s=$OPTARG ;;
  o) out_dir=$OPTARG ;;
  m) merge_options=$OPTARG ;;
  *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ "${1:-}" = "--" ]; then shift; fi
# Whole numbers only: arithmetic below would take `-w abc` for an unset variable, and a job of 0 shards runs
# nothing.
case "$shards" in '' | *[!0-9]* | 0*) echo "$0: -n wants a whole number of shards from 1, not '$shards'" >&2; exit 2 ;; esac
# (A leading zero would be octal to bash's arithmetic: 08 an error, 010 eight seconds.)
case "$delay_s" in '' | *[!0-9]* | 0?*) echo "$0: -w wants whole seconds, not '$delay_s'" >&2; exit 2 ;; esac
if [ $# -eq 0 ]; then
  echo "usage: $0 [-n shards] [-i image] [-w start delay s] [-o dir] [-m 'merge options'] -- <wrk options> <url>" >&2
  exit 2
fi
kubectl=${KUBECTL:-kubectl}
wrk_deno=${WRK_DENO:-wrk-deno}
here=$(cd "$(dirname "$0")" && pwd)

name="wrk-deno-$(date +%s)"
start_at=$(($(date +%s) + delay_s))
# Each argument becomes one YAML list item, double-quoted with \ and " escaped.
items=""
for arg in "$@"; do
  escaped=${arg//\\/\\\\}
  escaped=${escaped//\"/\\\"}
  items+="            - \"$escaped\""$'\n'
done
# (awk reads them from the environment: `awk -v` would undo the escapes.)
manifest=$(ITEMS=$items awk '/^ *- __ARGS__$/ { printf "%s", ENVIRON["ITEMS"]; next } { print }' "$here/wrk_deno_job.yaml" |
  sed -e "s|__NAME__|$name|g" -e "s|__SHARDS__|$shards|g" -e "s|__IMAGE__|$image|g" -e "s|__START_AT__|$start_at|g")

echo "job $name: $shards shards starting at $(date -u -d "@$start_at" 2>/dev/null || date -u -r "$start_at")"
printf '%s\n' "$manifest" | "$kubectl" apply -f -
# Kubernetes before 1.29 drops backoffLimitPerIndex without a word, and backoffLimit's default (6) then reruns a
# failed shard: its rerun starts after --start-at, a different test than the one asked. Read it back.
# (kubectl's warnings on stderr are not the value; a get that fails says nothing of the cluster's version.)
if ! per_index=$("$kubectl" get "job/$name" -o 'jsonpath={.spec.backoffLimitPerIndex}' 2>/dev/null); then
  echo "kubectl could not read job $name back: going on (a cluster before 1.29 would rerun failed shards)" >&2
elif [ "$per_index" != "0" ]; then
  "$kubectl" delete "job/$name" >/dev/null 2>&1 || true
  echo "the cluster dropped the job's backoffLimitPerIndex (Kubernetes before 1.29?): a failed shard would run" \
    "again after the others, so the job $name was deleted; use Kubernetes 1.29 or later" >&2
  exit 1
fi

# The run's own -d (wrk's default 10s) in whole seconds: "30", "30s", "1.5m", "2h", "500ms".
run_seconds() {
  local value="10s" previous="" arg
  for arg in "$@"; do
    case "$previous" in -d | --duration) value=$arg ;; esac
    case "$arg" in
    --duration=*) value=${arg#--duration=} ;;
    -d?*) value=${arg#-d} ;;
    esac
    previous=$arg
  done
  awk -v v="$value" 'BEGIN {
    n = v + 0; unit = tolower(v); sub(/^[0-9.]+/, "", unit)
    f = unit == "ms" ? 0.001 : unit == "us" ? 0.000001 : unit == "m" ? 60 : unit == "h" ? 3600 : 1
    s = n * f; printf "%d\n", (s == int(s)) ? s : int(s) + 1
  }'
}

# The start delay, the run, and ten minutes for pods to be scheduled and images pulled.
duration_s=$((delay_s + $(run_seconds "$@") + 600))
echo "waiting for the job to finish (at most ${duration_s}s)"
# Complete, or Failed once every pod has ended and one failed (`kubectl wait` takes one condition only).
deadline=$(($(date +%s) + duration_s))
state=""
failures=0
while :; do
  if state=$("$kubectl" get "job/$name" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}' 2>&1); then
    failures=0
  else
    # A passing hiccup is retried; kubectl failing every time (no access to Jobs, another context) is said.
    failures=$((failures + 1))
    if [ "$failures" -ge 5 ]; then
      echo "kubectl cannot read job $name: $state" >&2
      break
    fi
    state=""
  fi
  case " $state " in *" Complete "* | *" Failed "*) break ;; esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "job $name did not finish in ${duration_s}s: its shards' results are collected as far as they exist" >&2
    break
  fi
  sleep 2
done
case " $state " in *" Failed "*) echo "job $name failed: a shard's pod did; the others' results are collected" >&2 ;; esac

mkdir -p "$out_dir"
files=()
for ((index = 0; index < shards; index++)); do
  pod=$("$kubectl" get pods -l "job-name=$name,batch.kubernetes.io/job-completion-index=$index" -o name | head -n 1)
  file="$out_dir/shard-$index.json"
  if [ -n "$pod" ] && "$kubectl" logs "$pod" | grep '^{"format":"wrk-deno/result@1"' >"$file"; then
    files+=("$file")
  else
    rm -f "$file"
    echo "shard $index: no result in the log of ${pod:-its pod}" >&2
  fi
done
[ ${#files[@]} -gt 0 ] || { echo "no shard left a result" >&2; exit 1; }

# The merge names any missing shard and fails unless merge_options has --allow-partial.
eval "merge_args=($merge_options)"
# ${a[@]+"${a[@]}"}: an empty array under `set -u` in bash before 4.4 (macOS's 3.2) is otherwise unbound.
exec $wrk_deno merge ${merge_args[@]+"${merge_args[@]}"} "${files[@]}"
