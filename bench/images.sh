#!/usr/bin/env bash
# Image work in a build: a 1,000-page corpus (gen_corpus.py) whose 682
# Markdown images name 200 camera photographs (3000x2000 JPEG, written by
# image-codecs' `photos`), and a hero photograph on the home page. Times a
# first build (empty image cache), a second build (cache warm), and a build
# after one photograph changed; then the first view of the home page on a
# phone (page_weight.mjs).
#
#   bench/images.sh --photos DIR [--pages 1000] [--work /dev/shm/images-bench]
#                   [--formats '["avif", "webp"]']
#
# DIR holds photo-001.jpg… (`cargo run --release --manifest-path
# bench/image-codecs/Cargo.toml -- photos --count 200 --out DIR`). Uses
# target/release/utmost; GNU time for peak memory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
UTMOST=$REPO/target/release/utmost
PAGES=1000
WORK=/dev/shm/images-bench
PHOTOS=""
FORMATS=""
while [ $# -gt 0 ]; do
  case $1 in
    --photos) PHOTOS=$2; shift 2 ;;
    --pages) PAGES=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --formats) FORMATS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$PHOTOS" ] || { echo "--photos DIR is required" >&2; exit 2; }
SITE=$WORK/site
python3 "$HERE/gen_corpus.py" --pages "$PAGES" --out "$SITE" --flavor utmost --force
[ -z "$FORMATS" ] || printf '\n[images]\nformats = %s\n' "$FORMATS" >> "$SITE/site.toml"
mkdir -p "$SITE/static/images"
cp "$PHOTOS"/photo-*.jpg "$SITE/static/images/"
COUNT=$(ls "$SITE/static/images"/photo-*.jpg | wc -l)
# Each Markdown image names the next photograph in turn; the home page
# gets the first as its hero.
python3 - "$SITE" "$COUNT" <<'PY'
import pathlib, re, sys
site, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
n = 0
def photo(m):
    global n
    n += 1
    return "](/images/photo-%03d.jpg)" % ((n - 1) % count + 1)
for md in sorted((site / "content").rglob("*.md")):
    text = md.read_text()
    new = re.sub(r"\]\(/images/[^)]+\.png\)", photo, text)
    if md.name == "_index.md" and md.parent == site / "content":
        head, sep, body = new.partition("\n+++\n")
        hero = '[extra]\nhero_image = "/images/photo-001.jpg"\nhero_alt = "A photograph"'
        new = head + "\n" + hero + sep + body
    if new != text:
        md.write_text(new)
print("%d Markdown images name %d photographs" % (n, count))
PY
build() {
  /usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$UTMOST" --root "$SITE" build 2>&1 | grep -v "^warning\|^  \|^$" | tail -3
}
rm -rf "$SITE/.utmost/cache" "$SITE/public"
echo "== first build (no image cache)"; build
echo "== second build (cache warm)"; build
cp "$SITE/static/images/photo-002.jpg" "$SITE/static/images/photo-001.jpg"
echo "== one photograph changed"; build
du -sh "$SITE/.utmost/cache/images" "$SITE/public/processed_images" | sed 's/^/   /'
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE/public" > /dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" > /dev/null && break; sleep 0.1; done
echo "== home page, first view on a phone (390x844 at DPR 2), uncompressed bytes"
node "$HERE/page_weight.mjs" "http://127.0.0.1:$PORT/" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for x in r["responses"]:
    print("   %8d  %s" % (x["bytes"], x["url"].split("/", 3)[-1] or "/"))
print("   %8d  total" % r["total"])'
