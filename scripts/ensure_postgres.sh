#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on the local socket and that the current user may create
# databases. Starts the Debian cluster when none runs; installs PostgreSQL when root and missing.
set -euo pipefail
fail() { echo "mychat: $*" >&2; exit 1; }
me=$(id -un)

if ! pg_isready -q 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || fail "PostgreSQL is not running and not installed: install the 'postgresql' package."
        echo "mychat: installing PostgreSQL (Debian package)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
    [ -n "$cluster" ] || fail "no PostgreSQL cluster found: create one with pg_createcluster."
    echo "mychat: starting PostgreSQL cluster $cluster"
    if [ "$(id -u)" = 0 ]; then pg_ctlcluster $cluster start; else sudo -n pg_ctlcluster $cluster start; fi \
        || fail "could not start PostgreSQL cluster $cluster."
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || fail "PostgreSQL did not become ready."
fi

if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || fail "PostgreSQL has no role '$me': run 'sudo -u postgres createuser -s $me'."
    runuser -u postgres -- createuser -s "$me" || fail "could not create PostgreSQL role '$me'."
fi
