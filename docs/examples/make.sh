#!/usr/bin/env bash
# Regenerates the style examples of docs/styles.md: one 20-second track per style (MP3 under 300 KB) with
# its piano roll and spectrogram, and docs/examples/loudness.md (and its table in docs/styles.md): the
# loudness, loudness range (LRA) and true peak of a 60-second track per style, by ffmpeg's EBU R128 meter.
#   docs/examples/make.sh
# Deterministic: the same models, SoundFont and seeds give the same files.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$root/docs/examples"
# shellcheck source=prompts.sh
source "$out/prompts.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for style in "${styles[@]}"; do
  "$root/composerbot" compose "${prompts[$style]} 20 s" --style "$style" --seed 1 --max-bytes 300000 --out "$work/$style" >/dev/null
  mv "$work/$style"/*.mp3 "$out/$style.mp3"
  mv "$work/$style"/*.png "$out/$style.png"
  "$root/composerbot" spectrogram "$out/$style.mp3" -o "$out/$style.spectrogram.png" >/dev/null
done

{
  echo "# Loudness per style"
  echo
  echo "A 60-second track per style (seed 1, the prompts of docs/styles.md), measured by ffmpeg's EBU R128 meter"
  echo "(\`ebur128=peak=true\`) on the MP3 the bot would post. Written by docs/examples/make.sh on $(date -u '+%Y-%m-%d')."
  echo
  echo "| style | integrated loudness | loudness range (LRA) | true peak |"
  echo "| --- | ---: | ---: | ---: |"
  for style in "${styles[@]}"; do
    "$root/composerbot" compose "${prompts[$style]} 60 s" --style "$style" --seed 1 --out "$work/long-$style" >/dev/null
    report=$(ffmpeg -hide_banner -nostats -i "$work/long-$style"/*.mp3 -af ebur128=peak=true -f null - 2>&1 | sed -n '/Summary:/,$p')
    lufs=$(awk '/I:/ {print $2; exit}' <<<"$report")
    lra=$(awk '/LRA:/ {print $2; exit}' <<<"$report")
    peak=$(awk '/Peak:/ {print $2; exit}' <<<"$report")
    echo "| $style | $lufs LUFS | $lra LU | $peak dBTP |"
  done
} >"$out/loudness.md"

# The same table in docs/styles.md, between its loudness markers.
TABLE=$(sed -n '/^| style |/,$p' "$out/loudness.md") awk '
  /<!-- \/loudness -->/ { skip = 0 }
  !skip { print }
  /<!-- loudness -->/ { print ENVIRON["TABLE"]; skip = 1 }
' "$root/docs/styles.md" >"$work/styles.md"
cp "$work/styles.md" "$root/docs/styles.md"
ls -la "$out"
