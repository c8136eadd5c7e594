#!/usr/bin/env bash
# A/B pairs per style: the same prompt and seed through an older checkout of ComposerBot (the "before" sound)
# and through this one (the "after" sound), 20 s each, MP3 under 300 KB.
#   docs/examples/ab/make.sh OLD_CHECKOUT
# The pairs in this folder were made with OLD_CHECKOUT at commit 0a24fea (FluidR3_GM, General MIDI square and
# sawtooth leads for chiptune, one reverb for every style, block comping) against the commit that added them.
set -euo pipefail
old=${1:?usage: docs/examples/ab/make.sh OLD_CHECKOUT (a git worktree of the older commit)}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out="$root/docs/examples/ab"
# shellcheck source=../prompts.sh
source "$root/docs/examples/prompts.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for style in "${styles[@]}"; do
  for side in old new; do
    tree=$root
    [ "$side" = old ] && tree=$old
    "$tree/composerbot" compose "${prompts[$style]} 20 s" --style "$style" --seed 1 --max-bytes 300000 --out "$work/$side-$style" >/dev/null
    mv "$work/$side-$style"/*.mp3 "$out/$style-$side.mp3"
  done
done
ls -la "$out"
