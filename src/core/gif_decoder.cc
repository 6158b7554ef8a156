// GIF decoding with giflib (OpenCV 4.6 cannot read GIF): the first frame, composited onto a white
// logical screen with its palette; the transparent index (Graphic Control Extension) stays white.
// Records are read one at a time (never DGifSlurp), so later frames are never decoded and a frame
// is read line by line into a buffer of one row: nothing is allocated beyond the logical screen,
// which is itself produced at 1/factor (block means) when the caller needs less resolution.
#include <gif_lib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "core/image_internal.h"

namespace ocular::image_internal {
namespace {

struct MemorySource {
  Bytes bytes;
  std::size_t pos = 0;
};

int ReadFromMemory(GifFileType* gif, GifByteType* out, int wanted) {
  auto* src = static_cast<MemorySource*>(gif->UserData);
  if (wanted <= 0 || src->pos >= src->bytes.size()) return 0;
  const std::size_t n =
      std::min<std::size_t>(static_cast<std::size_t>(wanted), src->bytes.size() - src->pos);
  std::memcpy(out, src->bytes.data() + src->pos, n);
  src->pos += n;
  return static_cast<int>(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};

Status GifError(const char* what) {
  return FormatError(std::string("corrupt GIF data (") + what + ")");
}

}  // namespace

StatusOr<cv::Mat> DecodeGif(Bytes bytes, int factor) {
  MemorySource source{bytes, 0};
  int error = 0;
  std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&source, ReadFromMemory, &error));
  if (!gif) return GifError("header");
  const int screen_w = gif->SWidth, screen_h = gif->SHeight;
  if (screen_w <= 0 || screen_h <= 0) return GifError("empty logical screen");
  if (std::int64_t{screen_w} * screen_h > kMaxDecodePixels) {
    return SizeError("The image dimensions are too large.");
  }

  int transparent = -1;  // from the Graphic Control Extension preceding the first image
  while (true) {
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR) return GifError("record");
    if (record == TERMINATE_RECORD_TYPE) return GifError("no image");
    if (record == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* ext = nullptr;
      if (DGifGetExtension(gif.get(), &code, &ext) == GIF_ERROR) return GifError("extension");
      if (code == GRAPHICS_EXT_FUNC_CODE && ext != nullptr && ext[0] >= 4) {
        transparent = (ext[1] & 0x01) ? ext[4] : -1;
      }
      while (ext != nullptr) {
        if (DGifGetExtensionNext(gif.get(), &ext) == GIF_ERROR) return GifError("extension");
      }
      continue;
    }
    if (record != IMAGE_DESC_RECORD_TYPE) continue;

    if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return GifError("image descriptor");
    const GifImageDesc& desc = gif->Image;
    const ColorMapObject* map = desc.ColorMap != nullptr ? desc.ColorMap : gif->SColorMap;
    if (map == nullptr || map->Colors == nullptr || map->ColorCount <= 0) {
      return GifError("no colour table");
    }
    if (desc.Width <= 0 || desc.Height <= 0) return GifError("empty frame");
    // A frame may exceed the logical screen (it is clipped), but never the largest image we
    // decode: this bounds the LZW work a tiny file can demand.
    if (std::int64_t{desc.Width} * desc.Height > kMaxDecodePixels) {
      return GifError("frame larger than any accepted image");
    }

    // The screen at 1/factor: each output pixel sums the colours of its factor x factor block;
    // pixels no frame pixel reaches (background, transparent, off-frame) count as white.
    // Sums are kept only for the output pixels the frame covers (a tiny frame on a huge screen
    // costs a tiny buffer); the rest of the screen is white.
    const int out_w = (screen_w + factor - 1) / factor, out_h = (screen_h + factor - 1) / factor;
    const auto clamp = [](int v, int hi) { return std::max(0, std::min(v, hi)); };
    const int rx0 = clamp(desc.Left, screen_w) / factor, ry0 = clamp(desc.Top, screen_h) / factor;
    const int rx1 = (clamp(desc.Left + desc.Width, screen_w) + factor - 1) / factor;
    const int ry1 = (clamp(desc.Top + desc.Height, screen_h) + factor - 1) / factor;
    const int rw = std::max(0, rx1 - rx0), rh = std::max(0, ry1 - ry0);
    std::vector<std::uint32_t> sum(std::size_t(rw) * rh * 3, 0);
    std::vector<std::uint32_t> painted(std::size_t(rw) * rh, 0);
    const auto finish = [&]() {
      cv::Mat canvas(out_h, out_w, CV_8UC3, cv::Scalar(255, 255, 255));
      for (int oy = ry0; oy < ry0 + rh; ++oy) {
        const std::uint32_t block_h = std::min(factor, screen_h - oy * factor);
        auto* dst = canvas.ptr<cv::Vec3b>(oy);
        for (int ox = rx0; ox < rx0 + rw; ++ox) {
          const std::uint32_t area = block_h * std::min(factor, screen_w - ox * factor);
          const std::size_t i = std::size_t(oy - ry0) * rw + (ox - rx0);
          for (int c = 0; c < 3; ++c) {
            dst[ox][c] = static_cast<std::uint8_t>(
                (sum[i * 3 + c] + 255 * (area - painted[i]) + area / 2) / area);
          }
        }
      }
      return canvas;
    };
    std::vector<GifPixelType> line(static_cast<std::size_t>(desc.Width));
    // Interlaced frames arrive in four passes; rows map to their place in the frame.
    static constexpr int kOffsets[4] = {0, 4, 2, 1};
    static constexpr int kSteps[4] = {8, 8, 4, 2};
    const int passes = desc.Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; ++pass) {
      const int first = desc.Interlace ? kOffsets[pass] : 0;
      const int step = desc.Interlace ? kSteps[pass] : 1;
      for (int fy = first; fy < desc.Height; fy += step) {
        if (DGifGetLine(gif.get(), line.data(), desc.Width) == GIF_ERROR) {
          return GifError("truncated image data");
        }
        const int y = desc.Top + fy;
        if (y >= screen_h && !desc.Interlace) return finish();  // the rest is off screen
        if (y < 0 || y >= screen_h) continue;  // rows outside the logical screen are dropped
        const std::size_t row = std::size_t(y / factor - ry0) * rw;
        for (int fx = 0; fx < desc.Width; ++fx) {
          const int x = desc.Left + fx;
          if (x < 0 || x >= screen_w) continue;
          const int index = line[static_cast<std::size_t>(fx)];
          if (index == transparent) continue;  // stays white
          const std::size_t i = row + (x / factor - rx0);
          ++painted[i];
          if (index >= map->ColorCount) continue;  // out-of-palette index: black, as browsers do
          const GifColorType& c = map->Colors[index];
          sum[i * 3] += c.Blue;
          sum[i * 3 + 1] += c.Green;
          sum[i * 3 + 2] += c.Red;
        }
      }
    }
    return finish();
  }
}

}  // namespace ocular::image_internal
