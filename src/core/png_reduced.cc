// PNG decoding at a reduced size while streaming (libpng, row by row): the full-resolution raster
// is never held in memory, so a small file declaring 15000 x 15000 pixels costs the inflate time
// and one row, not gigabytes. Each output pixel is the mean of its factor x factor source block
// (alpha composited onto white first, as ToBgr8 does). Interlaced images use their last Adam7
// pass (every odd row, full width), which is what a reduced image needs.
//
// libpng reports errors by longjmp: setjmp sits in small functions whose locals are trivially
// destructible, and no C++ object lives across a libpng call there.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/block_reducer.h"
#include "core/image_internal.h"

namespace ocular::image_internal {
namespace {

struct MemoryReader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos;
};

void ReadFromMemory(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<MemoryReader*>(png_get_io_ptr(png));
  if (n > src->size - src->pos) png_error(png, "truncated");
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}

void IgnoreWarning(png_structp, png_const_charp) {}
// Errors end in the setjmp of the function that called libpng; nothing is printed.
[[noreturn]] void QuietError(png_structp png, png_const_charp) { png_longjmp(png, 1); }

// Feeds a libpng row to the BlockReducer passed as `ctx`.
void AddRow(void* ctx, int y, const std::uint8_t* row) {
  static_cast<BlockReducer*>(ctx)->AddRow(y, row);
}

using RowFn = void (*)(void*, int, const std::uint8_t*);

// Reads the header and sets the transformations to 8-bit BGR(A). False on a libpng error.
bool ReadHeader(png_structp png, png_infop info, int* channels, int* interlaced) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  png_set_expand(png);  // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
  png_set_strip_16(png);
  png_set_bgr(png);  // grey stays grey (1 or 2 channels): summed once, expanded at the end
  *interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
  png_read_update_info(png, info);
  *channels = png_get_channels(png, info);
  return true;
}

// Feeds every row that `fn` needs: all rows, or the last Adam7 pass of an interlaced image.
bool ReadRows(png_structp png, int width, int height, bool interlaced, std::uint8_t* row, RowFn fn,
              void* ctx) {
  if (setjmp(png_jmpbuf(png))) return false;
  if (!interlaced) {
    for (int y = 0; y < height; ++y) {
      png_read_row(png, row, nullptr);
      fn(ctx, y, row);
    }
    return true;
  }
  for (int pass = 0; pass < 7; ++pass) {
    if (PNG_PASS_COLS(width, pass) == 0) continue;
    const int rows = static_cast<int>(PNG_PASS_ROWS(height, pass));
    for (int i = 0; i < rows; ++i) {
      png_read_row(png, row, nullptr);
      if (pass == 6) fn(ctx, static_cast<int>(PNG_ROW_FROM_PASS_ROW(i, 6)), row);
    }
  }
  return true;
}

struct PngHandles {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngHandles() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

}  // namespace

StatusOr<cv::Mat> DecodePngReduced(Bytes bytes, int factor) {
  PngHandles h;
  h.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, QuietError, IgnoreWarning);
  if (h.png == nullptr) return Internal("libpng could not be initialised");
  h.info = png_create_info_struct(h.png);
  if (h.info == nullptr) return Internal("libpng could not be initialised");
  png_set_user_limits(h.png, 16000, 16000);
  png_set_crc_action(h.png, PNG_CRC_DEFAULT, PNG_CRC_WARN_DISCARD);
  MemoryReader reader{bytes.data(), bytes.size(), 0};
  png_set_read_fn(h.png, &reader, ReadFromMemory);
  int channels = 0, interlaced = 0;
  if (!ReadHeader(h.png, h.info, &channels, &interlaced) || channels < 1 || channels > 4) {
    return FormatError("corrupt PNG data");
  }
  const int width = static_cast<int>(png_get_image_width(h.png, h.info));
  const int height = static_cast<int>(png_get_image_height(h.png, h.info));
  std::vector<std::uint8_t> row(png_get_rowbytes(h.png, h.info));
  if (row.size() < std::size_t(width) * channels) return FormatError("corrupt PNG data");
  BlockReducer reducer(width, height, factor, channels);
  if (!ReadRows(h.png, width, height, interlaced != 0, row.data(), AddRow, &reducer)) {
    return FormatError("truncated or corrupt PNG data");
  }
  return reducer.Finish();
}

}  // namespace ocular::image_internal
