// A minimal PNG encoder on zlib (already in every install through cpp-httplib): 8-bit RGB,
// one IDAT chunk, no interlace. Enough for the charts `hamlet stats --png` draws; zlib does
// the compression and the CRCs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace hamlet::cli {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

// An RGB raster with the drawing the charts need. Coordinates outside are clipped.
class Image {
 public:
  // REQUIRES: width, height > 0.
  Image(int width, int height, Rgb background);
  int width() const { return width_; }
  int height() const { return height_; }
  void Set(int x, int y, Rgb color);
  Rgb Get(int x, int y) const;  // REQUIRES: inside
  // The rectangle [x, x+w) x [y, y+h).
  void FillRect(int x, int y, int w, int h, Rgb color);
  const std::vector<uint8_t>& pixels() const { return pixels_; }  // row-major RGB

 private:
  int width_;
  int height_;
  std::vector<uint8_t> pixels_;
};

// The PNG file bytes for `image`. Internal when zlib fails (out of memory).
core::Result<std::string> EncodePng(const Image& image);

// Writes EncodePng(image) to `path` (replacing it). InvalidArgument naming the path when it
// cannot be written.
core::Status WritePng(const Image& image, const std::string& path);

}  // namespace hamlet::cli
