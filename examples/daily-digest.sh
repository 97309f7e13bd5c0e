#!/bin/sh
# Writes the previous duty day's report (值班日报) as Markdown and JSON into dated files.
#
# Run it from cron a little after the duty day ends (08:00 in the built-in rules). cron's PATH
# is minimal (usually /usr/bin:/bin), so name sitrep and this script by their full paths:
#
#   15 8 * * *  SITREP=/usr/local/bin/sitrep /opt/sitrep/examples/daily-digest.sh /srv/duty/reports
#
# It prints nothing when it succeeds, so cron mails only when it fails: then sitrep's error is
# on stderr and the exit status is not 0.
#
# With no date given, `sitrep digest` covers the latest complete duty day, so at 08:15 on
# 2026-03-12 it writes 值班日报-2026-03-11.md and .json (08:00 on the 11th to 08:00 on the 12th).
# SITREP_DB and SITREP_RULES are honoured as everywhere; set them in the crontab if needed.
set -eu

out="${1:-.}"
mkdir -p "$out"
sitrep="${SITREP:-sitrep}"

# The duty day just ended: the `from` of the default digest, as YYYY-MM-DD.
json="$("$sitrep" digest --format json)"
day="$(printf '%s' "$json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["from"][:10])')"

# Each file appears complete or not at all; a failure leaves no half-written .tmp behind.
trap 'rm -f "$out/值班日报-$day.json.tmp" "$out/值班日报-$day.md.tmp"' EXIT
printf '%s\n' "$json" > "$out/值班日报-$day.json.tmp"
"$sitrep" digest --date "$day" --format markdown --lang zh > "$out/值班日报-$day.md.tmp"
mv "$out/值班日报-$day.json.tmp" "$out/值班日报-$day.json"
mv "$out/值班日报-$day.md.tmp" "$out/值班日报-$day.md"

# The record itself: `verify` proves that what the report says follows from the chain (rows,
# schema, recorded times). Damage is printed on stderr, so cron mails it.
if ! report="$("$sitrep" verify)"; then
  printf '%s\n' "$report" >&2
  exit 3
fi
