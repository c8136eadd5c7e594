#!/usr/bin/env bash
# fix-libtorchsharp.sh OUTPUT_DIR: makes TorchSharp-cpu 0.107.0 load on a libstdc++ older than GCC 13's
# (Debian 12). Its glue library, libLibTorchSharp.so, asks for GLIBCXX_3.4.32 for one symbol only,
# std::ios_base_library_init(). For each copy under OUTPUT_DIR this script (see ../shared/docs/torchsharp.md):
#   1. clears that symbol's version, 2. marks the GLIBCXX_3.4.32 requirement weak, 3. adds a one-function
#   shim library that defines the symbol, placed beside the copy.
# It patches a private copy (the build may hard-link outputs to the NuGet cache, which must stay intact),
# does nothing where libstdc++ already has GLIBCXX_3.4.32, and is idempotent.
set -euo pipefail
out=${1:?usage: fix-libtorchsharp.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
symbol=_ZSt21ios_base_library_initv
shim=libcomposerbot-iosbase-shim.so

libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
if [ -n "$libstdcxx" ] && grep -q GLIBCXX_3.4.32 "$libstdcxx"; then
  exit 0
fi
command -v patchelf >/dev/null && command -v cc >/dev/null || {
  echo "fix-libtorchsharp: patchelf and a C compiler are needed (scripts/prerequisites.sh installs them)" >&2
  exit 1
}

tools="$here/.bin"
mkdir -p "$tools"
exec 9>"$tools/.lock" # parallel builds of several projects patch one at a time
flock 9
if [ ! -x "$tools/weaken-version" ] || [ "$here/weaken-version.c" -nt "$tools/weaken-version" ]; then
  cc -O2 -o "$tools/weaken-version.tmp" "$here/weaken-version.c" && mv "$tools/weaken-version.tmp" "$tools/weaken-version"
fi
if [ ! -f "$tools/$shim" ] || [ "$here/ios-base-shim.c" -nt "$tools/$shim" ]; then
  cc -O2 -shared -fPIC -o "$tools/$shim.tmp" "$here/ios-base-shim.c" && mv "$tools/$shim.tmp" "$tools/$shim"
fi

find "$out" -name libLibTorchSharp.so -type f | while read -r lib; do
  dir=$(dirname "$lib")
  cp -f "$tools/$shim" "$dir/$shim"
  if patchelf --print-needed "$lib" | grep -qx "$shim"; then
    continue # patched already
  fi
  tmp="$lib.composerbot-tmp"
  cp --no-preserve=links "$lib" "$tmp"
  patchelf --clear-symbol-version "$symbol" "$tmp"
  "$tools/weaken-version" "$tmp" GLIBCXX_3.4.32 || true # no requirement left: nothing to weaken
  patchelf --add-needed "$shim" "$tmp"
  mv -f "$tmp" "$lib"
done
