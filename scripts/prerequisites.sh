# Sourced by ./composerbot, ./test.sh and benchmarks/run.sh: installs what is missing, with apt.
# Nothing here is ever installed by hand; a fresh Debian 12 machine with the .NET 10 SDK is enough.

# glibc's malloc makes up to 8 arenas per core for the threads that allocate natively (FluidSynth's
# synthesizers, libtorch); freed SoundFont samples and synthesizers then leave holes in many of them. Two
# arenas hold a `serve` that has played every style about 70 MiB lower (benchmarks/RESULTS.md, SoundFonts).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# A fixed mmap threshold: without it glibc raises the threshold to the size of each large block freed (up to
# 32 MiB), after which a synthesizer's SoundFont tables and voices come from the arenas and stay resident
# when freed; with it they are mapped and unmapped. A `serve` that played every style peaked at 796-799 MB
# with it against 812-845 MB without (benchmarks/RESULTS.md, 2026-11-27).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"

# The Debian packages the product needs at run time.
COMPOSERBOT_RUNTIME_PACKAGES=(
  libfluidsynth3      # the synthesizer, through P/Invoke
  musescore-general-soundfont  # MuseScore General (MIT), the default General MIDI SoundFont (.sf3)
  fluid-soundfont-gm  # FluidR3_GM, the General MIDI SoundFont (MIT): the fallback, and what the tests render with
  ffmpeg              # encoders (mp3, opus, flac, wav) and, in tests, the independent loudness meter
  libmp3lame0         # LAME, through P/Invoke: the second half of an MP3 encoded in halves (ffmpeg depends on it too)
  fonts-dejavu-core   # the typeface of the piano roll and the plots
  patchelf            # build: makes TorchSharp's glue library load on Debian 12 (build/torchsharp/)
  gcc                 # build: compiles that step's two small C helpers
)

# What only the tests need: a PostgreSQL server for the multi-machine queue's tests (each run starts its own
# throwaway cluster in a temporary directory; the package's own cluster is not used).
COMPOSERBOT_TEST_PACKAGES=(
  postgresql
  chromium            # the web playground's browser tests (Playwright drives the system browser)
)

composerbot_require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "composerbot: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2
    exit 2
  fi
}

# composerbot_install_packages PKG...: installs the packages that are not installed yet.
composerbot_install_packages() {
  local missing=() pkg installed
  # One dpkg-query for all of them (a query per package cost every command about 0.1 s).
  installed=$(dpkg-query -W -f='${Package}=${db:Status-Abbrev}\n' "$@" 2>/dev/null | sed -n 's/^\([^=:]*\)\(:[^=]*\)\?=ii *$/\1/p' | tr '\n' ' ' || true)
  for pkg in "$@"; do
    [[ " $installed " == *" $pkg "* ]] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  echo "composerbot: installing ${missing[*]} with apt ..." >&2
  local log
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "composerbot: could not install ${missing[*]}" >&2
    exit 1
  fi
  rm -f "$log"
}
