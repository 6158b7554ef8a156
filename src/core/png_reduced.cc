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

// Accumulates the source rows of one output row at a time (rows arrive in order, also from the
// last Adam7 pass), then writes that output row: memory is one row of sums, not the image.
struct Accumulator {
  int width = 0, height = 0, factor = 1, channels = 3;  // channels: 1 grey, 2 grey+alpha, 3, 4
  cv::Mat out;                       // CV_8UC3, ceil(height / factor) x ceil(width / factor)
  int current = -1;                  // output row being summed
  std::vector<std::uint32_t> sum;    // out.cols * 3
  std::vector<std::uint32_t> count;  // source pixels per output pixel
  int last_written = -1;

  void Flush() {
    if (current < 0) return;
    auto* dst = out.ptr<cv::Vec3b>(current);
    for (int ox = 0; ox < out.cols; ++ox) {
      const std::uint32_t n = count[ox];
      for (int c = 0; c < 3; ++c) {
        dst[ox][c] = n == 0 ? 255 : static_cast<std::uint8_t>((sum[ox * 3 + c] + n / 2) / n);
      }
    }
    // Rows no source row reached (only the last block of an interlaced image whose final
    // source row is even) repeat the row above.
    for (int y = last_written + 1; y < current; ++y) {
      out.row(y > 0 ? y - 1 : current).copyTo(out.row(y));
    }
    last_written = current;
    std::fill(sum.begin(), sum.end(), 0);
    std::fill(count.begin(), count.end(), 0);
  }
};

inline std::uint32_t OnWhite(std::uint32_t v, std::uint32_t alpha) {
  return (v * alpha + 255 * (255 - alpha) + 127) / 255;
}

void AddRow(void* ctx, int y, const std::uint8_t* row) {
  auto& a = *static_cast<Accumulator*>(ctx);
  const int oy = y / a.factor;
  if (oy != a.current) {
    a.Flush();
    a.current = oy;
  }
  const int f = a.factor, n = a.channels;
  for (int ox = 0, x0 = 0; ox < a.out.cols; ++ox, x0 += f) {
    const int x1 = std::min(a.width, x0 + f);
    std::uint32_t s0 = 0, s1 = 0, s2 = 0;
    for (int x = x0; x < x1; ++x) {
      const std::uint8_t* p = row + std::size_t(x) * n;
      switch (n) {
        case 1:
          s0 += p[0];
          break;
        case 2:
          s0 += OnWhite(p[0], p[1]);
          break;
        case 3:
          s0 += p[0];
          s1 += p[1];
          s2 += p[2];
          break;
        default:
          s0 += OnWhite(p[0], p[3]);
          s1 += OnWhite(p[1], p[3]);
          s2 += OnWhite(p[2], p[3]);
          break;
      }
    }
    if (n <= 2) s1 = s2 = s0;
    a.sum[ox * 3] += s0;
    a.sum[ox * 3 + 1] += s1;
    a.sum[ox * 3 + 2] += s2;
    a.count[ox] += static_cast<std::uint32_t>(x1 - x0);
  }
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
  Accumulator a;
  a.width = static_cast<int>(png_get_image_width(h.png, h.info));
  a.height = static_cast<int>(png_get_image_height(h.png, h.info));
  a.factor = factor;
  a.channels = channels;
  a.out.create((a.height + factor - 1) / factor, (a.width + factor - 1) / factor, CV_8UC3);
  a.sum.assign(std::size_t(a.out.cols) * 3, 0);
  a.count.assign(std::size_t(a.out.cols), 0);
  std::vector<std::uint8_t> row(png_get_rowbytes(h.png, h.info));
  if (row.size() < std::size_t(a.width) * channels) return FormatError("corrupt PNG data");
  if (!ReadRows(h.png, a.width, a.height, interlaced != 0, row.data(), AddRow, &a)) {
    return FormatError("truncated or corrupt PNG data");
  }
  a.Flush();
  if (a.last_written < 0) a.out.setTo(cv::Scalar::all(255));  // no source row (1-row Adam7)
  for (int y = std::max(a.last_written + 1, 1); y < a.out.rows; ++y) {
    a.out.row(y - 1).copyTo(a.out.row(y));
  }
  cv::Mat out = a.out;
  return out;
}

}  // namespace ocular::image_internal
