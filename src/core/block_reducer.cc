#include "core/block_reducer.h"

#include <algorithm>

namespace ocular::image_internal {
namespace {

inline std::uint32_t OnWhite(std::uint32_t v, std::uint32_t alpha) {
  return (v * alpha + 255 * (255 - alpha) + 127) / 255;
}

}  // namespace

BlockReducer::BlockReducer(int width, int height, int factor, int channels)
    : width_(width), factor_(factor), channels_(channels) {
  out_.create((height + factor - 1) / factor, (width + factor - 1) / factor, CV_8UC3);
  sum_.assign(std::size_t(out_.cols) * 3, 0);
  count_.assign(std::size_t(out_.cols), 0);
}

void BlockReducer::AddRow(int y, const std::uint8_t* row) {
  const int oy = y / factor_;
  if (oy != current_) {
    Flush();
    current_ = oy;
  }
  const int f = factor_, n = channels_;
  for (int ox = 0, x0 = 0; ox < out_.cols; ++ox, x0 += f) {
    const int x1 = std::min(width_, x0 + f);
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
    sum_[ox * 3] += s0;
    sum_[ox * 3 + 1] += s1;
    sum_[ox * 3 + 2] += s2;
    count_[ox] += static_cast<std::uint32_t>(x1 - x0);
  }
}

void BlockReducer::Flush() {
  if (current_ < 0) return;
  auto* dst = out_.ptr<cv::Vec3b>(current_);
  for (int ox = 0; ox < out_.cols; ++ox) {
    const std::uint32_t n = count_[ox];
    for (int c = 0; c < 3; ++c) {
      dst[ox][c] = n == 0 ? 255 : static_cast<std::uint8_t>((sum_[ox * 3 + c] + n / 2) / n);
    }
  }
  // Rows no source row reached (only the last block of an interlaced image whose final source
  // row is even) repeat the row above.
  for (int y = last_written_ + 1; y < current_; ++y) {
    out_.row(y > 0 ? y - 1 : current_).copyTo(out_.row(y));
  }
  last_written_ = current_;
  std::fill(sum_.begin(), sum_.end(), 0);
  std::fill(count_.begin(), count_.end(), 0);
}

cv::Mat BlockReducer::Finish() {
  Flush();
  if (last_written_ < 0) out_.setTo(cv::Scalar::all(255));  // no source row (1-row Adam7)
  for (int y = std::max(last_written_ + 1, 1); y < out_.rows; ++y) {
    out_.row(y - 1).copyTo(out_.row(y));
  }
  return out_;
}

}  // namespace ocular::image_internal
