#!/usr/bin/env bash
# Regenerates the style examples of docs/styles.md: one 20-second track per style, MP3 under 300 KB,
# with its piano roll. Deterministic: the same models and seeds give the same files.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$root/docs/examples"
declare -A prompts=(
  [chiptune]="tense chiptune boss fight 20 s"
  [orchestral]="heroic orchestral theme 20 s"
  [lofi]="calm lo-fi study beat 20 s"
  [rock]="fast rock action 20 s"
  [ambient]="dreamy ambient 20 s"
  [piano]="sad piano waltz 20 s"
  [folk]="happy celtic jig 20 s"
  [synthwave]="synthwave night drive 20 s"
)
for style in chiptune orchestral lofi rock ambient piano folk synthwave; do
  "$root/composerbot" compose "${prompts[$style]}" --style "$style" --seed 1 --max-bytes 300000 --out "$out/tmp" >/dev/null
  for f in "$out"/tmp/*.mp3 "$out"/tmp/*.png; do
    mv "$f" "$out/$style.${f##*.}"
  done
  rm -f "$out"/tmp/*
done
rmdir "$out/tmp"
ls -la "$out"
