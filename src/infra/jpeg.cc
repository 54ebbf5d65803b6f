#include "infra/jpeg.h"

#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>

namespace sscard::infra {
namespace {

constexpr int kMaxDimension = 4000;  // refuse absurd images before allocating pixels

struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnError(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

void Silence(j_common_ptr, int) {}

}  // namespace

std::optional<domain::RgbImage> DecodeJpeg(std::string_view bytes, std::string& problem) {
  if (bytes.size() < 4 || static_cast<unsigned char>(bytes[0]) != 0xFF ||
      static_cast<unsigned char>(bytes[1]) != 0xD8) {
    problem = "no JPEG start marker";
    return std::nullopt;
  }
  jpeg_decompress_struct info{};
  ErrorManager errors{};
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = OnError;
  errors.base.emit_message = Silence;
  domain::RgbImage image;
  // Only plain data lives across the setjmp: the image's vector is filled after it.
  if (setjmp(errors.jump)) {
    problem = errors.message;
    jpeg_destroy_decompress(&info);
    return std::nullopt;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  if (info.image_width > kMaxDimension || info.image_height > kMaxDimension) {
    problem = "image too large";
    jpeg_destroy_decompress(&info);
    return std::nullopt;
  }
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  image.width = static_cast<int>(info.output_width);
  image.height = static_cast<int>(info.output_height);
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = &image.pixels[static_cast<size_t>(info.output_scanline) * image.width * 3];
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return image;
}

std::string EncodeJpeg(const domain::RgbImage& image, int quality) {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(image.width);
  info.image_height = static_cast<JDIMENSION>(image.height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(&image.pixels[static_cast<size_t>(info.next_scanline) * image.width * 3]);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  std::string encoded(reinterpret_cast<char*>(buffer), size);
  jpeg_destroy_compress(&info);
  free(buffer);
  return encoded;
}

domain::PhotoCheck CheckJpegPhoto(std::string_view bytes, const domain::PhotoRules& rules) {
  std::string problem;
  auto image = DecodeJpeg(bytes, problem);
  return domain::CheckPhoto(bytes.size(), image, problem, rules);
}

std::string SamplePortraitJpeg() {
  constexpr int kWidth = 358, kHeight = 441;
  domain::RgbImage image{kWidth, kHeight, std::vector<uint8_t>(size_t{kWidth} * kHeight * 3, 255)};
  for (int y = 120; y < 330; ++y) {
    for (int x = 100; x < 260; ++x) {
      size_t at = (static_cast<size_t>(y) * kWidth + x) * 3;
      image.pixels[at] = static_cast<uint8_t>((x * 37 + y * 91) % 251);
      image.pixels[at + 1] = static_cast<uint8_t>((x * 13 + y * 7) % 241);
      image.pixels[at + 2] = static_cast<uint8_t>((x * y) % 239);
    }
  }
  for (int quality = 95; quality > 20; quality -= 5) {
    std::string jpeg = EncodeJpeg(image, quality);
    if (jpeg.size() <= 40 * 1024 && jpeg.size() >= 14 * 1024) return jpeg;
  }
  return {};
}

}  // namespace sscard::infra
