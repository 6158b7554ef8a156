#!/usr/bin/env python3
"""Writes the decompression-bomb inputs of issue 16 into a folder (tiny files, huge images).

  gif_8000.gif     35 bytes: an 8000 x 8000 logical screen with one 1 x 1 frame
  png_10000.png    ~12 KB: an all-zero 1-bit grey PNG of 10000 x 10000
  png_15000.png    ~27 KB: an all-zero 1-bit grey PNG of 15000 x 15000
  jpeg_15999.jpg   ~3 MB: a uniform grey baseline JPEG of 15999 x 15999 (every block DC 0, EOB;
                   16000 itself is outside the API limits, sides < 16000)
  bmp_15999.bmp    ~2 MB: an all-zero 8-bit RLE8 BMP of 15999 x 15999
  tiff_15999.tif   ~250 KB: an all-zero 8-bit grey deflate TIFF of 15999 x 15999, 64-row strips
  webp_anim_15999.webp  ~8 KB: the animated WebP seed of fuzz/corpus/image_decode with its
                   canvas declared 15999 x 15999 (the frames stay small)
  bmp_6300.bmp, tiff_6300.tif, webp_anim_6300.webp: the same at 6300 x 6300 (39.7 MP), just
                   within the 40 MP bound of the formats decoded whole

Usage: make_bombs.py OUT_DIR
"""
import os
import struct
import sys
import zlib


def gif(side):
    out = b"GIF89a" + struct.pack("<HHBBB", side, side, 0x80, 0, 0)  # 2-colour global table
    out += b"\x00\x00\x00\xff\xff\xff"
    out += b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0)  # a 1 x 1 frame
    out += b"\x02\x02\x44\x01\x00"  # LZW: min code size 2, one sub-block, end
    return out + b";"


def png(side):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte + 1-bit pixels
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg(side):
    def seg(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
    dqt = seg(0xDB, b"\x00" + bytes([1] * 64))
    sof = seg(0xC0, struct.pack(">BHHB", 8, side, side, 1) + b"\x01\x11\x00")
    # Standard luminance DC and AC Huffman tables (ITU T.81 K.3).
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    dc_vals = list(range(12))
    ac_bits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
    ac_vals = bytes.fromhex(
        "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a16"
        "1718191a25262728292a3435363738393a434445464748494a535455565758595a63646566676869"
        "6a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6"
        "b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
    dht = seg(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals) + b"\x10" + bytes(ac_bits) + ac_vals)
    sos = seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    blocks = ((side + 7) // 8) ** 2
    # DC category 0 is code 00, EOB is 1010: 6 bits a block, 3 bytes per 4 blocks (no 0xFF).
    data = b"\x28\xa2\x8a" * (blocks // 4)
    return b"\xff\xd8" + dqt + sof + dht + sos + data + b"\xff\xd9"


def bmp_rle8(side):
    runs = b""
    left = side
    while left > 0:
        n = min(left, 255)
        runs += bytes([n, 0])
        left -= n
    data = (runs + b"\x00\x00") * side  # each row: runs of colour 0, end of line
    data = data[:-2] + b"\x00\x01"       # the last end of line becomes end of bitmap
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    offset = 14 + 40 + len(palette)
    info = struct.pack("<IiiHHIIiiII", 40, side, side, 1, 8, 1, len(data), 2835, 2835, 256, 0)
    head = b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
    return head + info + palette + data


def tiff_deflate(side, rows_per_strip=64):
    strip = zlib.compress(b"\x00" * (side * rows_per_strip), 9)
    strips = (side + rows_per_strip - 1) // rows_per_strip
    last_rows = side - (strips - 1) * rows_per_strip
    last = zlib.compress(b"\x00" * (side * last_rows), 9)
    entries = 9
    ifd_size = 2 + entries * 12 + 4
    offsets_at = 8 + ifd_size
    counts_at = offsets_at + 4 * strips
    data_at = counts_at + 4 * strips
    offsets, counts, blob = [], [], b""
    for i in range(strips):
        chunk = last if i == strips - 1 else strip
        offsets.append(data_at + len(blob))
        counts.append(len(chunk))
        blob += chunk

    def entry(tag, kind, count, value):
        return struct.pack("<HHII", tag, kind, count, value)
    ifd = struct.pack("<H", entries)
    ifd += entry(256, 4, 1, side) + entry(257, 4, 1, side) + entry(258, 3, 1, 8)
    ifd += entry(259, 3, 1, 8) + entry(262, 3, 1, 1) + entry(273, 4, strips, offsets_at)
    ifd += entry(277, 3, 1, 1) + entry(278, 4, 1, rows_per_strip)
    ifd += entry(279, 4, strips, counts_at) + struct.pack("<I", 0)
    return (b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack(f"<{strips}I", *offsets)
            + struct.pack(f"<{strips}I", *counts) + blob)


def webp_animated_canvas(side):
    seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz", "corpus",
                        "image_decode", "webp_animated")
    with open(seed, "rb") as f:
        data = bytearray(f.read()[1:])  # the fuzz harness's first byte picks options: drop it
    assert data[12:16] == b"VP8X", "unexpected seed layout"
    data[24:27] = (side - 1).to_bytes(3, "little")  # canvas width - 1
    data[27:30] = (side - 1).to_bytes(3, "little")  # canvas height - 1
    return bytes(data)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {"gif_8000.gif": gif(8000), "png_10000.png": png(10000),
             "png_15000.png": png(15000), "jpeg_15999.jpg": jpeg(15999),
             "bmp_15999.bmp": bmp_rle8(15999), "tiff_15999.tif": tiff_deflate(15999),
             "webp_anim_15999.webp": webp_animated_canvas(15999),
             "bmp_6300.bmp": bmp_rle8(6300), "tiff_6300.tif": tiff_deflate(6300),
             "webp_anim_6300.webp": webp_animated_canvas(6300)}
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}\t{len(data)} bytes")


if __name__ == "__main__":
    main()
