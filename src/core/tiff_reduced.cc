// TIFF decoded at a reduced size while reading (libtiff's RGBA interface, one band of rows at a
// time): the full-resolution raster is never held, so a 250 KB deflate TIFF declaring 15999 x 15999
// pixels costs its inflate time and one band, not a gigabyte. Each output pixel is the mean of its
// factor x factor block of the stored image (core/block_reducer.h, alpha onto white); the
// Orientation tag is applied to the reduced image, as OpenCV applies it to the full one.
//
// Bounds: libtiff may allocate at most kMaxTiffAlloc in one piece (a strip or tile buffer), a
// band at most kMaxBandBytes. Errors and warnings are never printed (per-handle handlers).
#include <tiffio.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "core/block_reducer.h"
#include "core/image_internal.h"

namespace ocular::image_internal {
namespace {

constexpr tmsize_t kMaxTiffAlloc = 64 << 20;     // one strip or tile buffer inside libtiff
constexpr std::size_t kMaxBandBytes = 16 << 20;  // the RGBA rows read at once

// The TIFF file in memory, for TIFFClientOpenExt (read-only: writes fail).
struct MemoryFile {
  Bytes bytes;
  std::uint64_t pos = 0;
};

tmsize_t Read(thandle_t h, void* out, tmsize_t n) {
  auto* f = static_cast<MemoryFile*>(h);
  if (n < 0 || f->pos >= f->bytes.size()) return 0;
  const std::uint64_t count =
      std::min<std::uint64_t>(static_cast<std::uint64_t>(n), f->bytes.size() - f->pos);
  std::memcpy(out, f->bytes.data() + f->pos, count);
  f->pos += count;
  return static_cast<tmsize_t>(count);
}
tmsize_t Write(thandle_t, void*, tmsize_t) { return -1; }
toff_t Seek(thandle_t h, toff_t offset, int whence) {
  auto* f = static_cast<MemoryFile*>(h);
  std::uint64_t base = 0;
  if (whence == SEEK_CUR) base = f->pos;
  if (whence == SEEK_END) base = f->bytes.size();
  if (offset > UINT64_MAX - base) return static_cast<toff_t>(-1);
  f->pos = base + offset;
  return f->pos;
}
int Close(thandle_t) { return 0; }
toff_t Size(thandle_t h) { return static_cast<MemoryFile*>(h)->bytes.size(); }
int Map(thandle_t, void**, toff_t*) { return 0; }
void Unmap(thandle_t, void*, toff_t) {}
int Quiet(TIFF*, void*, const char*, const char*, va_list) { return 1; }  // 1: handled

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
struct OptionsFree {
  void operator()(TIFFOpenOptions* o) const { TIFFOpenOptionsFree(o); }
};

}  // namespace

StatusOr<cv::Mat> DecodeTiffReduced(Bytes bytes, int factor) {
  MemoryFile file{bytes};
  std::unique_ptr<TIFFOpenOptions, OptionsFree> options(TIFFOpenOptionsAlloc());
  if (!options) return Internal("libtiff: cannot allocate options");
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), kMaxTiffAlloc);
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), Quiet, nullptr);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), Quiet, nullptr);
  // "m": no memory mapping (the bytes are ours already); "r": read only.
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFClientOpenExt("image", "rm", &file, Read, Write, Seek,
                                                          Close, Size, Map, Unmap, options.get()));
  if (!tif) return FormatError("corrupt TIFF header");
  char message[1024] = {};
  if (!TIFFRGBAImageOK(tif.get(), message)) {
    return Unsupported("this TIFF layout is not supported by the reduced reader");
  }
  TIFFRGBAImage img;
  if (!TIFFRGBAImageBegin(&img, tif.get(), /*stop_on_error=*/1, message)) {
    return FormatError("corrupt TIFF data");
  }
  std::unique_ptr<TIFFRGBAImage, void (*)(TIFFRGBAImage*)> end(&img, TIFFRGBAImageEnd);
  // Rows in stored order, unflipped: the orientation is applied to the reduced image.
  img.req_orientation = img.orientation;
  const std::int64_t width = img.width, height = img.height;
  if (width <= 0 || height <= 0 || width * height > kMaxDecodePixels) {
    return FormatError("corrupt TIFF header");
  }
  // A band: whole strips or tiles where possible, within kMaxBandBytes.
  std::uint32_t unit = 0;
  if (TIFFIsTiled(tif.get())) {
    TIFFGetField(tif.get(), TIFFTAG_TILELENGTH, &unit);
  } else {
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ROWSPERSTRIP, &unit);
  }
  const std::int64_t max_rows = std::max<std::int64_t>(1, kMaxBandBytes / (4 * width));
  std::int64_t band = std::clamp<std::int64_t>(unit, 1, std::min(height, max_rows));
  if (unit > 0 && unit < max_rows) band = std::max<std::int64_t>(1, max_rows / unit) * unit;
  band = std::min(band, height);

  BlockReducer reducer(static_cast<int>(width), static_cast<int>(height), factor, /*channels=*/3);
  std::vector<std::uint32_t> raster(static_cast<std::size_t>(band * width));
  std::vector<std::uint8_t> bgr(static_cast<std::size_t>(width) * 3);
  for (std::int64_t y0 = 0; y0 < height; y0 += band) {
    const std::int64_t rows = std::min(band, height - y0);
    img.row_offset = static_cast<int>(y0);
    img.col_offset = 0;
    if (!TIFFRGBAImageGet(&img, raster.data(), static_cast<std::uint32_t>(width),
                          static_cast<std::uint32_t>(rows))) {
      return FormatError("corrupt TIFF data");
    }
    for (std::int64_t r = 0; r < rows; ++r) {
      // libtiff's RGBA is premultiplied: over white, c + (255 - a).
      const std::uint32_t* px = &raster[static_cast<std::size_t>(r * width)];
      for (std::int64_t x = 0; x < width; ++x) {
        const std::uint32_t white = 255 - TIFFGetA(px[x]);
        bgr[3 * x] =
            static_cast<std::uint8_t>(std::min<std::uint32_t>(255, TIFFGetB(px[x]) + white));
        bgr[3 * x + 1] =
            static_cast<std::uint8_t>(std::min<std::uint32_t>(255, TIFFGetG(px[x]) + white));
        bgr[3 * x + 2] =
            static_cast<std::uint8_t>(std::min<std::uint32_t>(255, TIFFGetR(px[x]) + white));
      }
      reducer.AddRow(static_cast<int>(y0 + r), bgr.data());
    }
  }
  return reducer.Finish();
}

}  // namespace ocular::image_internal
