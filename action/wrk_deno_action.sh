#!/usr/bin/env bash
# The GitHub Action's logic (action.yml runs it; tests/action_test.ts runs it with a simulated runner):
#
#   wrk_deno_action.sh resolve   pick the program: the release binary for this runner, checked against the
#                                release's SHA256SUMS, or, when the release has no binary for it (or no release
#                                is named), the action's own cli.ts under Deno. Outputs `binary` (a path, or
#                                empty) and `needs-deno` (true/false).
#   wrk_deno_action.sh run       run the test (or with the merge input, `wrk-deno merge` the shards' results)
#                                with --json and --summary "$GITHUB_STEP_SUMMARY", set the outputs
#                                `requests-per-sec`, `p99-us`, `errors` and `json`, and fail the step (with the
#                                tool's exit code) when the run failed or a threshold did not hold.
#
# Inputs arrive as the environment variables action.yml sets: INPUT_URL, INPUT_ARGS, INPUT_SCRIPT,
# INPUT_THRESHOLDS (one per line), INPUT_MERGE (shard results to merge instead of running a test),
# INPUT_VERSION, INPUT_JSON, INPUT_RELEASE_URL, and BINARY (resolve's output) for `run`. It reads the runner's RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
# GITHUB_ACTION_PATH, GITHUB_ACTION_REF, GITHUB_ACTION_REPOSITORY and GITHUB_SERVER_URL. Written for bash 3.2
# (macOS) and Git Bash (Windows) as well as Linux.
set -uo pipefail

ACTION_DIR=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
# A run's options when the args input is empty (action.yml).
DEFAULT_RUN_ARGS="-t2 -c10 -d10s --latency"
# The Deno permissions of the documented `deno run` command (docs/install.md), as the binaries have them.
DENO_RUN=(run --allow-net --allow-read --allow-env --allow-write --allow-ffi --v8-flags=--max-semi-space-size=4)

fail() {
  echo "::error title=wrk-deno::$1"
  exit "${2:-1}"
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
  echo "$1=$2"
}

# The release target (scripts/compile.ts TARGETS) of this runner, or nothing when releases have none.
runner_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) echo "x86_64-unknown-linux-gnu" ;;
  Linux/ARM64) echo "aarch64-unknown-linux-gnu" ;;
  macOS/X64) echo "x86_64-apple-darwin" ;;
  macOS/ARM64) echo "aarch64-apple-darwin" ;;
  Windows/X64) echo "x86_64-pc-windows-msvc.exe" ;;
  *) echo "" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print $1}'
  else
    shasum -a 256 "$1" | awk '{print $1}'
  fi
}

# Downloads $1 to $2; prints the HTTP status (000 when there was no answer).
download() {
  curl -sSL --retry 3 -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

use_deno() {
  echo "$1"
  output binary ""
  output needs-deno true
  exit 0
}

# The action's own repository and ref (`uses: owner/wrk-deno@v1.2.3`): GITHUB_ACTION_REPOSITORY and
# GITHUB_ACTION_REF, which runners leave empty in a composite action's steps (actions/runner#2473), else the
# path the runner checked the action out to, `…/_actions/<owner>/<repo>/<ref>`.
action_origin() {
  ACTION_REPOSITORY=${GITHUB_ACTION_REPOSITORY:-}
  ACTION_REF=${GITHUB_ACTION_REF:-}
  local path=${GITHUB_ACTION_PATH:-}
  # Windows runners write it with backslashes (D:\a\_actions\owner\repo\ref).
  path=${path//\\//}
  if [ -z "$ACTION_REF" ] && [[ "$path" == */_actions/*/*/* ]]; then
    local rest=${path##*/_actions/}
    local owner=${rest%%/*}
    rest=${rest#*/}
    local repo=${rest%%/*}
    ACTION_REF=${rest#*/}
    [ -n "$ACTION_REPOSITORY" ] || ACTION_REPOSITORY="$owner/$repo"
  fi
}

resolve() {
  local version=${INPUT_VERSION:-}
  action_origin
  # Unless a release is named, the action's own tag (`uses: owner/wrk-deno@v1.2.3`) is the release.
  if [ -z "$version" ] && [[ "$ACTION_REF" == v[0-9]* ]]; then version=$ACTION_REF; fi
  if [ -z "$version" ]; then use_deno "no release named: running the action's cli.ts with Deno"; fi
  local target
  target=$(runner_target)
  if [ -z "$target" ]; then
    use_deno "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}: running the action's cli.ts with Deno"
  fi
  local repository=${ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}
  local base=${INPUT_RELEASE_URL:-}
  if [ -z "$base" ]; then
    [ -n "$repository" ] || fail "cannot tell which repository's releases to use: set the release-url input"
    base="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download"
  fi
  base="${base%/}/$version"
  local dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/wrk-deno-$version"
  mkdir -p "$dir" || fail "cannot create $dir"
  local name="wrk-deno-$target"
  local status
  status=$(download "$base/$name" "$dir/$name")
  case "$status" in
  200) ;;
  404)
    # A release named in the version input that does not exist at all (no SHA256SUMS either) is a slip, say
    # v0.9.0 for v0.1.0: running the action's own cli.ts instead would measure with other code than asked.
    if [ -n "${INPUT_VERSION:-}" ] && [ "$(download "$base/SHA256SUMS" "$dir/SHA256SUMS")" = 404 ]; then
      fail "release $version not found ($base/SHA256SUMS: 404); check the version input"
    fi
    use_deno "release $version has no $name ($base/$name: 404): running the action's cli.ts with Deno"
    ;;
  *) fail "could not download $base/$name (HTTP status $status); check the version and release-url inputs" ;;
  esac
  status=$(download "$base/SHA256SUMS" "$dir/SHA256SUMS")
  [ "$status" = 200 ] || fail "release $version has $name but no SHA256SUMS to check it against ($base/SHA256SUMS: $status)"
  local expected actual
  expected=$(awk -v name="$name" '$2 == name || $2 == "*" name {print $1}' "$dir/SHA256SUMS" | head -n 1)
  [ -n "$expected" ] || fail "SHA256SUMS of release $version does not list $name"
  actual=$(sha256_of "$dir/$name")
  if [ "$actual" != "$expected" ]; then
    rm -f "$dir/$name"
    fail "$name from $base does not match SHA256SUMS (expected $expected, got $actual): not running it"
  fi
  chmod +x "$dir/$name"
  echo "using $name of release $version (SHA-256 checked)"
  output binary "$dir/$name"
  output needs-deno false
}

# Prints the value at a dotted path ("latency.percentiles.99") of a JSON document as JSON.stringify(value, null,
# 2) lays it out (the --json format): one key per line, two spaces per level. Prints nothing for null or a
# missing key.
json_value() {
  awk -v path="$2" '
    BEGIN { n = split(path, want, ".") }
    {
      match($0, /^ */)
      depth = RLENGTH / 2
      if (!match($0, /^ *"[^"]*": /)) next
      line = $0
      sub(/^ *"/, "", line)
      key = substr(line, 1, index(line, "\"") - 1)
      value = substr(line, index(line, "\": ") + 3)
      sub(/,$/, "", value)
      keys[depth] = key
      if (depth != n) next
      for (i = 1; i <= n; i++) if (keys[i] != want[i]) next
      if (value != "null" && value != "{" && value != "[") print value
      exit
    }
  ' "$1"
}

# Splits $1 into words as a shell does, without expanding or running anything: blanks part words; single
# quotes keep everything up to the next one; double quotes keep everything but a backslash before ", \, $ or `
# (which it escapes) or before a line end (which it removes); a backslash outside quotes escapes the next
# character. The words go to the array SPLIT_WORDS; on an unmatched quote or a trailing backslash it returns 1
# with the reason in SPLIT_ERROR.
split_words() {
  local text=$1 i=0 n=${#1} c next word="" in_word=false quote=""
  SPLIT_WORDS=()
  SPLIT_ERROR=""
  while [ "$i" -lt "$n" ]; do
    c=${text:i:1}
    if [ "$quote" = "'" ]; then
      if [ "$c" = "'" ]; then quote=""; else word+=$c; fi
    elif [ "$quote" = '"' ]; then
      if [ "$c" = '"' ]; then
        quote=""
      elif [ "$c" = '\' ] && [ $((i + 1)) -lt "$n" ]; then
        next=${text:i+1:1}
        case "$next" in
        '"' | '\' | '$' | '`') word+=$next ;;
        $'\n') ;;
        *) word+=$c$next ;;
        esac
        i=$((i + 1))
      else
        word+=$c
      fi
    else
      case "$c" in
      ' ' | $'\t' | $'\n' | $'\r')
        if [ "$in_word" = true ]; then SPLIT_WORDS+=("$word"); fi
        word=""
        in_word=false
        ;;
      "'" | '"')
        quote=$c
        in_word=true
        ;;
      '\')
        if [ $((i + 1)) -ge "$n" ]; then
          SPLIT_ERROR="a backslash ends it"
          return 1
        fi
        next=${text:i+1:1}
        if [ "$next" != $'\n' ]; then
          word+=$next
          in_word=true
        fi
        i=$((i + 1))
        ;;
      *)
        word+=$c
        in_word=true
        ;;
      esac
    fi
    i=$((i + 1))
  done
  if [ "$quote" = "'" ]; then SPLIT_ERROR="unmatched single quote"; fi
  if [ "$quote" = '"' ]; then SPLIT_ERROR="unmatched double quote"; fi
  if [ -n "$SPLIT_ERROR" ]; then return 1; fi
  if [ "$in_word" = true ]; then SPLIT_WORDS+=("$word"); fi
  return 0
}

run() {
  local merging=${INPUT_MERGE:-}
  if [ -z "$merging" ] && [ -z "${INPUT_URL:-}" ]; then
    fail "the url input is required (a URL, or demo for the built-in server), or merge (shard results to merge)"
  fi
  local -a program
  if [ -n "${BINARY:-}" ]; then
    program=("$BINARY")
  else
    command -v deno >/dev/null 2>&1 || fail "Deno is not installed, and no release binary was found"
    program=(deno "${DENO_RUN[@]}" "$ACTION_DIR/cli.ts")
  fi
  local -a args=()
  if [ -n "$merging" ]; then
    args+=(merge)
  elif [ "$INPUT_URL" = demo ]; then
    args+=(demo)
  fi
  # The args input splits as a shell would (quotes group words), without running anything in it. Empty (or
  # blank), a run takes the default options and a merge none: a run's -t, -c and -d are no merge's options.
  local given=${INPUT_ARGS:-}
  if ! [[ "$given" =~ [^[:space:]] ]]; then
    given=""
    if [ -z "$merging" ]; then given=$DEFAULT_RUN_ARGS; fi
  fi
  local word
  local -a words=() script_args=()
  if [ -n "$given" ]; then
    split_words "$given" || fail "the args input cannot be split into words ($SPLIT_ERROR): $given"
    if [ ${#SPLIT_WORDS[@]} -gt 0 ]; then words=("${SPLIT_WORDS[@]}"); fi
  fi
  # Words after a `--` are the script's (init(args)): the action's own options and the URL go before them.
  # (Every "${array[@]}" here is of a non-empty array: bash before 4.4, macOS's 3.2, calls an empty one
  # unbound under set -u.)
  if [ ${#words[@]} -gt 0 ]; then
    for word in "${words[@]}"; do
      if [ ${#script_args[@]} -gt 0 ] || [ "$word" = -- ]; then script_args+=("$word"); else args+=("$word"); fi
    done
  fi
  if [ -n "$merging" ] && [ ${#script_args[@]} -gt 0 ]; then
    fail "the args input's words after -- are a script's arguments, and a merge runs no script: $given"
  fi
  if [ -n "${INPUT_SCRIPT:-}" ]; then args+=(--script "$INPUT_SCRIPT"); fi
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then args+=(--threshold "$line"); fi
  done <<<"${INPUT_THRESHOLDS:-}"
  local json=${INPUT_JSON:-wrk-deno-result.json}
  args+=(--json "$json")
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then args+=(--summary "$GITHUB_STEP_SUMMARY"); fi
  # Whether the json input names a file the merge reads: it is never removed (the merge refuses to write it).
  local json_is_input=false
  if [ -n "$merging" ]; then
    # The merge input: files or glob patterns, separated by blanks or lines, expanded here.
    local pattern file found
    for pattern in $merging; do
      found=false
      for file in $pattern; do
        if [ -e "$file" ]; then
          args+=("$file")
          found=true
          if [ "$file" -ef "$json" ]; then json_is_input=true; fi
        fi
      done
      [ "$found" = true ] || fail "merge: no file matches $pattern"
    done
  elif [ "$INPUT_URL" != demo ]; then
    args+=("$INPUT_URL")
  fi
  if [ ${#script_args[@]} -gt 0 ]; then args+=("${script_args[@]}"); fi

  # A result left by an earlier step must not pass for this one's when this run writes none (bad options); a
  # shard result the merge was given is not such a result.
  if [ "$json_is_input" = false ]; then rm -f "$json"; fi
  echo "wrk-deno$(printf ' %q' "${args[@]}")"
  "${program[@]}" "${args[@]}"
  local code=$?

  if [ "$json_is_input" = false ] && [ -f "$json" ]; then
    output json "$json"
    output requests-per-sec "$(json_value "$json" requests_per_sec)"
    output p99-us "$(json_value "$json" latency.percentiles.99)"
    local errors="" kind value
    for kind in connect read write status timeout; do
      value=$(json_value "$json" "errors.$kind")
      if [ -n "$value" ]; then errors=$((${errors:-0} + value)); fi
    done
    output errors "$errors"
  fi
  case "$code" in
  0) ;;
  99) fail "a threshold did not hold (the Thresholds block above and the job summary say which)" 99 ;;
  *) fail "wrk-deno exited with code $code (its message is above)" "$code" ;;
  esac
}

case "${1:-}" in
resolve) resolve ;;
run) run ;;
*)
  echo "usage: $0 resolve|run" >&2
  exit 2
  ;;
esac
