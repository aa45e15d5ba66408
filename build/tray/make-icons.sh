#!/bin/sh
# Draws the tray icons (one per overall state) and the app icon with ImageMagick, at 8x and scaled down for
# smooth edges. Run it again only to change the artwork; the PNGs are committed, the build does not run this.
#   apt-get install -y imagemagick && sh build/tray/make-icons.sh
set -eu
convert=${CONVERT:-convert}
cd "$(dirname "$0")"

# $1 name, $2 circle colour, $3 glyph as MVG (drawn white on a 128x128 canvas)
icon() {
  "$convert" -size 128x128 xc:none \
    -fill "$2" -stroke none -draw 'circle 64,64 64,6' \
    -fill none -stroke white -strokewidth 14 -draw "stroke-linecap round stroke-linejoin round $3" \
    -filter Lanczos -resize 32x32 -depth 8 -strip "PNG32:$1@2x.png"
  "$convert" "$1@2x.png" -filter Lanczos -resize 16x16 -depth 8 -strip "PNG32:$1.png"
}

icon idle '#2563eb' 'polyline 38,66 56,84 90,46'
icon syncing '#2563eb' 'line 64,94 64,38 polyline 42,60 64,38 86,60'
icon paused '#d97706' 'line 50,42 50,86 line 78,42 78,86'
icon error '#dc2626' 'line 64,36 64,72 line 64,92 64,93'
icon offline '#6b7280' 'line 42,64 86,64'

# The app icon electron-builder turns into .ico/.icns/desktop icons (it wants at least 512x512).
"$convert" -size 512x512 xc:none \
  -fill '#2563eb' -stroke none -draw 'roundrectangle 16,16 496,496 96,96' \
  -fill none -stroke white -strokewidth 44 \
  -draw 'stroke-linecap round stroke-linejoin round line 256,330 256,130 polyline 170,214 256,128 342,214 line 150,400 362,400' \
  -depth 8 -strip PNG32:../icon.png
