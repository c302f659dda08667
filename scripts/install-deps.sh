#!/usr/bin/env bash
# Installs the Debian 12 packages hamlet needs to build and run; with --test, also what the
# test suite needs (Debian's Perl Akismet client, wrk, tmux, the fasttext CLI, WordPress with
# PHP and MariaDB for the WordPress test, clang with libFuzzer for the fuzz targets, PostgreSQL
# 15 for the PostgreSQL store tests, and node/npm when node is missing). Idempotent: runs
# apt-get only when a package is missing.
#   bash scripts/install-deps.sh [--test]
set -euo pipefail

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-deps.sh: unknown argument '$arg' (expected --test)" >&2
      exit 2
      ;;
  esac
done

# Build and runtime packages, and why each is here (README.md has the full dependency table).
packages=(
  build-essential g++ cmake pkg-config # compiler and build system
  libcpp-httplib-dev                   # HTTP server (hamletd)
  libfasttext-dev                      # text classifier
  libsqlite3-dev                       # decision log and keys
  libpq-dev                            # PostgreSQL client (the postgresql:// store backend)
  libspdlog-dev                        # logging
  doctest-dev                          # unit and end-to-end tests
  nlohmann-json3-dev                   # JSON API, JSONL data
  libcli11-dev                         # command-line parsing
  libutf8proc-dev                      # Unicode normalization
  libre2-dev                           # allow/block list regexes in linear time
  libssl-dev                           # SHA-256 and random bytes for keys
  zlib1g-dev                           # PNG charts (hamlet stats --png); cpp-httplib needs it too
  sqlite3                              # inspecting the database by hand
  curl                                 # start.sh's examples, health checks
)
if ((want_test)); then
  packages+=(
    libnet-akismet-perl # third-party Akismet client under test
    wrk                 # HTTP benchmark
    tmux                # drives `hamlet review` in a real terminal (tests/cli/review_tmux.sh)
    fasttext            # the fasttext CLI, for model fixtures
    openssl python3     # signing and checking the webhook snippets of docs/webhooks.md
    clang-14 libclang-rt-14-dev # libFuzzer and its sanitizers, for fuzz/ (CTest fuzz.*)
    postgresql-15       # throw-away clusters (initdb/pg_ctl) for the PostgreSQL store tests
    nginx               # the load balancer in front of three nodes (tests/e2e/cluster_e2e_test.cc, bench-cluster.sh)
    # tests/wordpress: Debian's WordPress 6.1 with its bundled Akismet plugin, the default
    # theme (it has the comment form), PHP's built-in server and a private MariaDB
    wordpress wordpress-theme-twentytwentythree php-cli mariadb-server
  )
  # Debian's nodejs/npm conflict with a node that is already installed from elsewhere
  # (apt then reports "held broken packages"), so ask for them only when node is missing.
  if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs npm)
  elif ! command -v npm >/dev/null 2>&1; then
    echo "install-deps.sh: node is installed but npm is not; the npm client test will be skipped" >&2
  fi
fi

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps.sh: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps.sh: missing packages: ${missing[*]}" >&2
    echo "install-deps.sh: run as root (or install sudo) to install them" >&2
    exit 1
  fi
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
