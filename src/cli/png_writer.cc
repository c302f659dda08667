// PNG chunks around a zlib stream of filtered scanlines (filter type 0 on every row).
#include "cli/png_writer.h"

#include <zlib.h>

#include <fstream>

namespace hamlet::cli {
namespace {

void PutU32(std::string& out, uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xFF);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

// Length, type, data, CRC-32 of type and data (PNG spec section 5.3).
void PutChunk(std::string& out, const char type[4], const std::string& data) {
  PutU32(out, static_cast<uint32_t>(data.size()));
  const size_t start = out.size();
  out.append(type, 4);
  out += data;
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + start),
              static_cast<uInt>(out.size() - start));
  PutU32(out, static_cast<uint32_t>(crc));
}

}  // namespace

Image::Image(int width, int height, Rgb background)
    : width_(width), height_(height), pixels_(static_cast<size_t>(width) * height * 3) {
  FillRect(0, 0, width, height, background);
}

void Image::Set(int x, int y, Rgb color) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  const size_t at = (static_cast<size_t>(y) * width_ + x) * 3;
  pixels_[at] = color.r;
  pixels_[at + 1] = color.g;
  pixels_[at + 2] = color.b;
}

Rgb Image::Get(int x, int y) const {
  const size_t at = (static_cast<size_t>(y) * width_ + x) * 3;
  return Rgb{pixels_[at], pixels_[at + 1], pixels_[at + 2]};
}

void Image::FillRect(int x, int y, int w, int h, Rgb color) {
  for (int yy = y; yy < y + h; ++yy) {
    for (int xx = x; xx < x + w; ++xx) Set(xx, yy, color);
  }
}

core::Result<std::string> EncodePng(const Image& image) {
  const int w = image.width();
  const int h = image.height();
  // Each scanline: a filter-type byte (0, none), then the row's RGB bytes.
  std::string raw;
  raw.reserve(static_cast<size_t>(h) * (1 + static_cast<size_t>(w) * 3));
  const auto& px = image.pixels();
  for (int y = 0; y < h; ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(px.data()) + static_cast<size_t>(y) * w * 3,
               static_cast<size_t>(w) * 3);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    return core::Status::Internal("PNG: zlib could not compress the image");
  }
  packed.resize(packed_size);

  std::string png = "\x89PNG\r\n\x1a\n";
  std::string header;
  PutU32(header, static_cast<uint32_t>(w));
  PutU32(header, static_cast<uint32_t>(h));
  header += '\x08';  // bit depth
  header += '\x02';  // colour type: RGB
  header += '\x00';  // compression: deflate
  header += '\x00';  // filter method 0
  header += '\x00';  // no interlace
  PutChunk(png, "IHDR", header);
  PutChunk(png, "IDAT", packed);
  PutChunk(png, "IEND", "");
  return png;
}

core::Status WritePng(const Image& image, const std::string& path) {
  auto png = EncodePng(image);
  if (!png) return png.error();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::Status::InvalidArgument("cannot write the PNG file '" + path + "'");
  out.write(png->data(), static_cast<std::streamsize>(png->size()));
  out.close();
  if (!out) return core::Status::InvalidArgument("cannot write the PNG file '" + path + "'");
  return core::Status::Ok();
}

}  // namespace hamlet::cli
