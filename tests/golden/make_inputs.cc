// Regenerates the golden test inputs in tests/golden/data/inputs/ from ../shared/testdata/images:
// small raw RGB images (8-bit, row-major, no header), which the golden test and
// tools/reference/golden.js both upscale by whole-pixel replication to the model's input size.
// The non-square *_WxH inputs feed the YOLOv8 golden test (yolo_golden_test.cc and
// tools/yolo-reference/yolo_golden.js), which letterboxes them itself.
//
//   build/ocular_golden_make_inputs ../shared/testdata/images tests/golden/data/inputs
#include <cstdio>
#include <fstream>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

struct InputSpec {
  const char* out;       // file name in the output folder
  const char* image;     // file name in the testdata images folder
  cv::Rect crop;         // region of the image; empty = whole image, zero-padded to a square
  int size;              // output width (and height when `height` is 0)
  int height = 0;        // 0: square output; else the whole image (crop ignored) to size x height
};

// Contract: changing this table changes the golden references; regenerate both.
const InputSpec kInputs[] = {
    {"dog_bicycle_128.rgb", "animal_dog_bicycle.jpg", {}, 128},
    {"dog_bicycle_104.rgb", "animal_dog_bicycle.jpg", {}, 104},
    {"group_selfie_96.rgb", "faces_group_selfie.jpg", {}, 96},
    {"face_112.rgb", "faces_zidane.jpg", {880, 55, 210, 210}, 112},
    {"pizza_112.rgb", "food_pizza.jpg", {}, 112},
    {"zidane_128.rgb", "faces_zidane.jpg", {}, 128},
    {"zidane_224x126.rgb", "faces_zidane.jpg", {}, 224, 126},
    {"street_bus_168x224.rgb", "street_bus.jpg", {}, 168, 224},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IMAGES_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  for (const InputSpec& s : kInputs) {
    cv::Mat bgr = cv::imread(std::string(argv[1]) + "/" + s.image, cv::IMREAD_COLOR);
    if (bgr.empty()) {
      std::fprintf(stderr, "cannot read %s\n", s.image);
      return 1;
    }
    cv::Mat region;
    if (s.height > 0) {
      region = bgr;
    } else if (s.crop.area() > 0) {
      region = bgr(s.crop & cv::Rect(0, 0, bgr.cols, bgr.rows));
    } else {
      const int side = std::max(bgr.cols, bgr.rows);
      cv::copyMakeBorder(bgr, region, 0, side - bgr.rows, 0, side - bgr.cols, cv::BORDER_CONSTANT);
    }
    cv::Mat small, rgb;
    const int out_h = s.height > 0 ? s.height : s.size;
    cv::resize(region, small, cv::Size(s.size, out_h), 0, 0, cv::INTER_AREA);
    cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
    std::ofstream out(std::string(argv[2]) + "/" + s.out, std::ios::binary);
    out.write(reinterpret_cast<const char*>(rgb.data), static_cast<std::streamsize>(rgb.total() * 3));
    std::printf("%s: %dx%d from %s\n", s.out, s.size, out_h, s.image);
  }
  return 0;
}
