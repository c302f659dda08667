#!/usr/bin/env bash
# Fails when an #include in src/ crosses the layer table the wrong way, or a third-party
# header appears outside the files allowed to use it. Prints file:line and the rule broken.
#
#   bash scripts/check-layers.sh              self-test, then check ./src (run from the repo root)
#   bash scripts/check-layers.sh --self-test  only prove, on a temporary tree, that violations are caught
#   bash scripts/check-layers.sh --root DIR   check DIR/src without the self-test
set -euo pipefail

# --- the rules, as data ------------------------------------------------------------------------
# layer: layers it may include ("layer=path" allows only that one header of the layer).
# A layer may always include its own headers. Keep in sync with README.md and src/*/CMakeLists.txt.
readonly LAYER_TABLE='
core:
text:       core
classifier: core
signals:    core text
decision:   core
store:      core
engine:     core text signals decision classifier=classifier/classifier.h store=store/store.h
app:        core text classifier signals decision store engine
http:       core engine app
cli:        core engine app
'
# include prefix: the only files (globs, relative to the repo root) that may include it.
readonly THIRD_PARTY_TABLE='
fasttext/   src/classifier/fasttext_*.cc
sqlite3.h   src/store/sqlite_*.cc
libpq-fe.h  src/store/postgres_store_connection.cc
zlib.h      src/cli/png_writer.cc
httplib.h   src/http/*
CLI/        src/cli/* src/http/main.cc
spdlog/     src/engine/* src/app/* src/http/* src/cli/*
re2/        src/signals/pattern.cc
'

declare -A allowed_layers  # layer -> " dep dep=path ... "
declare -a layers=()
while read -r name deps; do
  [[ -z "$name" ]] && continue
  name=${name%:}
  layers+=("$name")
  allowed_layers[$name]=" $deps "
done <<<"$LAYER_TABLE"

declare -a tp_prefixes=() tp_globs=()
while read -r prefix globs; do
  [[ -z "$prefix" ]] && continue
  tp_prefixes+=("$prefix")
  tp_globs+=("$globs")
done <<<"$THIRD_PARTY_TABLE"

is_layer() {
  local l
  for l in "${layers[@]}"; do [[ "$l" == "$1" ]] && return 0; done
  return 1
}

# check_tree ROOT: prints every violation under ROOT/src; returns 1 when there was any.
check_tree() {
  local root=$1 violations=0 path file line text target layer dep rule allowed g i
  local -a list
  [[ -d "$root/src" ]] || { echo "check-layers.sh: no src/ under '$root'" >&2; return 2; }
  while IFS= read -r path; do
    file=${path#"$root"/}
    layer=${file#src/}
    layer=${layer%%/*}
    is_layer "$layer" || continue
    while IFS= read -r hit; do
      line=${hit%%:*}
      text=${hit#*:}
      [[ "$text" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\<\"]([^\>\"]+)[\>\"] ]] || continue
      target=${BASH_REMATCH[1]}
      rule=""

      # Project headers: "<layer>/..." must be allowed by the layer table.
      dep=${target%%/*}
      if [[ "$target" == */* ]] && is_layer "$dep" && [[ "$dep" != "$layer" ]]; then
        allowed=${allowed_layers[$layer]}
        if [[ "$allowed" == *" $dep "* ]]; then
          :
        elif [[ "$allowed" == *" $dep="* ]]; then
          [[ "$allowed" == *" $dep=$target "* ]] ||
            rule="$layer may include only $(sed -E "s/.* $dep=([^ ]+) .*/\1/" <<<"$allowed") of $dep"
        else
          read -r -a list <<<"$allowed"
          rule="$layer must not include $dep (it may include: ${list[*]:-no other layer})"
        fi
      fi

      # Third-party headers: only in the files listed for them.
      for i in "${!tp_prefixes[@]}"; do
        [[ "$target" == "${tp_prefixes[$i]}"* ]] || continue
        allowed=0
        read -r -a list <<<"${tp_globs[$i]}"  # split without pathname expansion
        for g in "${list[@]}"; do
          # shellcheck disable=SC2053  # $g is a glob on purpose
          [[ "$file" == $g ]] && allowed=1
        done
        ((allowed)) || rule="${tp_prefixes[$i]} may be included only in: ${tp_globs[$i]}"
      done

      if [[ -n "$rule" ]]; then
        echo "$file:$line: ${text#"${text%%[![:space:]]*}"}: $rule"
        violations=$((violations + 1))
      fi
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$path" || true)
  done < <(find "$root/src" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' \) | LC_ALL=C sort)

  if ((violations > 0)); then
    echo "check-layers.sh: $violations include(s) break the layer table (see the table at the top of scripts/check-layers.sh)"
    return 1
  fi
  return 0
}

# self_test: a temporary tree with known-good and known-bad includes; each bad one must be reported.
self_test() {
  local tmp rc=0
  tmp=$(mktemp -d)
  self_test_in "$tmp" || rc=$?
  rm -rf "$tmp"
  return "$rc"
}

self_test_in() {
  local tmp=$1 out status=0
  mkdir -p "$tmp"/src/{core,text,classifier,engine,store,http,cli}
  printf '#include <string>\n#include "core/status.h"\n' >"$tmp/src/core/ok.h"
  printf '#include "core/status.h"\n' >"$tmp/src/text/ok.cc"
  printf '#include <fasttext/fasttext.h>\n' >"$tmp/src/classifier/fasttext_classifier.cc"
  printf '#include "classifier/classifier.h"\n#include "store/store.h"\n#include <spdlog/spdlog.h>\n' >"$tmp/src/engine/ok.cc"
  printf '#include <httplib.h>\n#include <CLI/CLI.hpp>\n' >"$tmp/src/http/main.cc"
  if ! out=$(check_tree "$tmp" 2>&1); then
    echo "check-layers.sh --self-test: a clean tree was rejected:" >&2
    echo "$out" >&2
    return 1
  fi

  printf '#include "engine/filter.h"\n' >"$tmp/src/core/bad_layer.h"
  printf '#include "classifier/fasttext_classifier.h"\n' >"$tmp/src/engine/bad_concrete.cc"
  printf '  #  include <sqlite3.h>\n' >"$tmp/src/engine/bad_sqlite.cc"
  printf '#include <spdlog/spdlog.h>\n' >"$tmp/src/store/bad_log.cc"
  printf '#include <fasttext/fasttext.h>\n' >"$tmp/src/classifier/classifier.h"
  printf '#include <CLI/CLI.hpp>\n' >"$tmp/src/http/server.cc"
  out=$(check_tree "$tmp") && status=0 || status=$?
  local expected
  for expected in 'src/core/bad_layer.h:1:' 'src/engine/bad_concrete.cc:1:' 'src/engine/bad_sqlite.cc:1:' \
    'src/store/bad_log.cc:1:' 'src/classifier/classifier.h:1:' 'src/http/server.cc:1:'; do
    if [[ "$out" != *"$expected"* ]]; then
      echo "check-layers.sh --self-test: the violation at ${expected%:} was not reported" >&2
      echo "$out" >&2
      return 1
    fi
  done
  if ((status != 1)); then
    echo "check-layers.sh --self-test: expected exit status 1 on violations, got $status" >&2
    return 1
  fi
  echo "check-layers.sh: self-test passed (6 planted violations caught)"
}

mode=all
root=.
while (($#)); do
  case "$1" in
    --self-test) mode=self ;;
    --root)
      mode=check
      root=${2:?--root needs a directory}
      shift
      ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "check-layers.sh: unknown argument '$1'" >&2
      exit 2
      ;;
  esac
  shift
done

if [[ "$mode" != check ]]; then
  self_test
  [[ "$mode" == self ]] && exit 0
fi
check_tree "$root"
echo "check-layers.sh: includes in $root/src follow the layer table"
