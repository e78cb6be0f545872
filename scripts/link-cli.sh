#!/usr/bin/env bash
# Puts the `tagkeeper` command of this checkout on the PATH: a symbolic link to
# bin/tagkeeper.js in $TAGKEEPER_BIN_DIR, else /usr/local/bin as root, else ~/.local/bin.
# Safe to run again (the link is replaced); a file of that name that is not a link is left
# alone, and it says so.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd -P)"
target="$root/bin/tagkeeper.js"
if [ -n "${TAGKEEPER_BIN_DIR:-}" ]; then
  dir="$TAGKEEPER_BIN_DIR"
elif [ "$(id -u)" -eq 0 ]; then
  dir=/usr/local/bin
else
  dir="$HOME/.local/bin"
fi
link="$dir/tagkeeper"
mkdir -p "$dir"
if [ -e "$link" ] && [ ! -L "$link" ]; then
  echo "setup: $link exists and is not a link, so it was left alone: remove it and run ./setup.sh again, or run $target" >&2
  exit 0
fi
chmod +x "$target"
ln -sfn "$target" "$link"
echo "setup: the tagkeeper command is $link → $target"
case ":$PATH:" in
  *":$dir:"*) ;;
  *) echo "setup: $dir is not on your PATH: add it (export PATH=\"$dir:\$PATH\" in your shell's profile)" ;;
esac
