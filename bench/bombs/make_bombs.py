#!/usr/bin/env python3
"""Writes the decompression-bomb inputs of issue 16 into a folder (tiny files, huge images).

  gif_8000.gif     35 bytes: an 8000 x 8000 logical screen with one 1 x 1 frame
  png_10000.png    ~12 KB: an all-zero 1-bit grey PNG of 10000 x 10000
  png_15000.png    ~27 KB: an all-zero 1-bit grey PNG of 15000 x 15000
  jpeg_15999.jpg   ~3 MB: a uniform grey baseline JPEG of 15999 x 15999 (every block DC 0, EOB;
                   16000 itself is outside the API limits, sides < 16000)

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


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {"gif_8000.gif": gif(8000), "png_10000.png": png(10000),
             "png_15000.png": png(15000), "jpeg_15999.jpg": jpeg(15999)}
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}\t{len(data)} bytes")


if __name__ == "__main__":
    main()
