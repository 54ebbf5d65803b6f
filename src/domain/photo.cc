#include "domain/photo.h"

#include <fmt/format.h>

namespace sscard::domain {
namespace {

FieldError Problem(const char* code, std::string zh, std::string en) {
  return {"photo", code, {std::move(zh), std::move(en)}, "R-ID-5"};
}

int Brightness(const RgbImage& image, int x, int y) {
  const uint8_t* pixel = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
  return (pixel[0] + pixel[1] + pixel[2]) / 3;
}

bool IsWhite(const RgbImage& image, int x, int y, int level) {
  const uint8_t* pixel = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
  return pixel[0] >= level && pixel[1] >= level && pixel[2] >= level;
}

}  // namespace

PhotoCheck CheckPhoto(size_t bytes, const std::optional<RgbImage>& image,
                      const std::string& decode_problem, const PhotoRules& rules) {
  PhotoCheck check;
  check.bytes = bytes;
  if (bytes < rules.min_bytes || bytes > rules.max_bytes) {
    check.problems.push_back(Problem(
        "PHOTO_SIZE", fmt::format("照片大小应为{}–{}KB，实际为{:.1f}KB", rules.min_bytes / 1024, rules.max_bytes / 1024, bytes / 1024.0),
        fmt::format("the file must be {}–{} KB, not {:.1f} KB", rules.min_bytes / 1024, rules.max_bytes / 1024, bytes / 1024.0)));
  }
  if (!image) {
    check.problems.push_back(Problem("PHOTO_NOT_JPEG", "照片不是有效的 JPEG 文件：" + decode_problem,
                                     "not a readable JPEG: " + decode_problem));
    return check;
  }
  check.width = image->width;
  check.height = image->height;
  if (image->width != rules.width || image->height != rules.height) {
    check.problems.push_back(Problem(
        "PHOTO_DIMENSIONS", fmt::format("照片应为{}×{}像素（宽×高），实际为{}×{}", rules.width, rules.height, image->width, image->height),
        fmt::format("must be {}×{} pixels (width×height), not {}×{}", rules.width, rules.height, image->width, image->height)));
  }
  if (image->width < 20 || image->height < 20 ||
      image->pixels.size() != static_cast<size_t>(image->width) * image->height * 3) {
    check.valid = check.problems.empty();
    return check;
  }
  // Background: the top band and both side bands of the upper half, inside a small margin
  // (the lower half holds shoulders and clothes).
  int margin = 4;
  int band = std::max(4, image->width / 20);
  int white = 0, total = 0;
  for (int y = margin; y < image->height / 2; ++y) {
    for (int x = margin; x < image->width - margin; ++x) {
      bool in_band = y < margin + band || x < margin + band || x >= image->width - margin - band;
      if (!in_band) continue;
      ++total;
      white += IsWhite(*image, x, y, rules.white_level);
    }
  }
  if (total > 0 && white < rules.white_share * total) {
    check.problems.push_back(Problem("PHOTO_BACKGROUND", "照片背景应为白色", "the background must be white"));
  }
  // Border: the outermost 2-pixel ring clearly darker than the ring just inside it.
  auto ring_mean = [&](int inset) {
    long sum = 0, count = 0;
    for (int x = inset; x < image->width - inset; ++x) {
      sum += Brightness(*image, x, inset) + Brightness(*image, x, image->height - 1 - inset);
      count += 2;
    }
    for (int y = inset; y < image->height - inset; ++y) {
      sum += Brightness(*image, inset, y) + Brightness(*image, image->width - 1 - inset, y);
      count += 2;
    }
    return static_cast<double>(sum) / count;
  };
  double outer = (ring_mean(0) + ring_mean(1)) / 2;
  double inner = (ring_mean(5) + ring_mean(6)) / 2;
  if (inner - outer > rules.border_contrast) {
    check.problems.push_back(Problem("PHOTO_BORDER", "照片不能有边框", "the photo must not have a border"));
  }
  check.valid = check.problems.empty();
  return check;
}

bool PhotoRequired(int age_years) { return age_years >= 7; }

}  // namespace sscard::domain
