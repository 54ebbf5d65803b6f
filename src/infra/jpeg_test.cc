#include <gtest/gtest.h>

#include <random>
#include <set>

#include "infra/jpeg.h"

namespace sscard::infra {
namespace {

using domain::RgbImage;

// A passport-style photo: white background, a textured face and shoulders.
RgbImage Portrait(int width = 358, int height = 441, uint8_t background = 255) {
  RgbImage image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3, background)};
  std::mt19937 random(7);
  std::uniform_int_distribution<int> noise(-40, 40);
  auto set = [&](int x, int y, int r, int g, int b) {
    uint8_t* pixel = &image.pixels[(static_cast<size_t>(y) * width + x) * 3];
    int n = noise(random);
    pixel[0] = static_cast<uint8_t>(std::clamp(r + n, 0, 255));
    pixel[1] = static_cast<uint8_t>(std::clamp(g + n, 0, 255));
    pixel[2] = static_cast<uint8_t>(std::clamp(b + n, 0, 255));
  };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      double dx = (x - width / 2.0) / (width * 0.22), dy = (y - height * 0.42) / (height * 0.25);
      if (dx * dx + dy * dy < 1) set(x, y, 220, 180, 150);
      else if (y > height * 0.72 && std::abs(x - width / 2) < width * 0.45) set(x, y, 40, 50, 90);
    }
  }
  return image;
}

// Encodes at the highest quality that fits the R-ID-5 size window.
std::string FittingJpeg(const RgbImage& image) {
  for (int quality = 95; quality >= 30; quality -= 5) {
    std::string bytes = EncodeJpeg(image, quality);
    if (bytes.size() >= 14 * 1024 && bytes.size() <= 40 * 1024) return bytes;
  }
  return {};
}

std::set<std::string> Codes(const domain::PhotoCheck& check) {
  std::set<std::string> codes;
  for (const auto& problem : check.problems) codes.insert(problem.code);
  return codes;
}

// R-ID-5: JPEG, 14–40 KB, 358×441, white background, no border.
TEST(Photo, AcceptsAConformingPortraitForRId5) {
  std::string bytes = FittingJpeg(Portrait());
  ASSERT_FALSE(bytes.empty());
  auto check = CheckJpegPhoto(bytes);
  EXPECT_TRUE(check.valid) << (check.problems.empty() ? "" : check.problems[0].message.en);
  EXPECT_EQ(check.width, 358);
  EXPECT_EQ(check.height, 441);
}

TEST(Photo, ReportsEveryProblemAtOnceForRId5) {
  RgbImage grey = Portrait(300, 400, 150);
  auto check = CheckJpegPhoto(EncodeJpeg(grey, 20));
  EXPECT_EQ(Codes(check), (std::set<std::string>{"PHOTO_SIZE", "PHOTO_DIMENSIONS", "PHOTO_BACKGROUND"}));
  for (const auto& problem : check.problems) EXPECT_EQ(problem.rule, "R-ID-5");
}

TEST(Photo, FindsABorderForRId5) {
  RgbImage framed = Portrait();
  for (int y = 0; y < framed.height; ++y) {
    for (int x = 0; x < framed.width; ++x) {
      if (x < 3 || y < 3 || x >= framed.width - 3 || y >= framed.height - 3) {
        uint8_t* pixel = &framed.pixels[(static_cast<size_t>(y) * framed.width + x) * 3];
        pixel[0] = pixel[1] = pixel[2] = 0;
      }
    }
  }
  std::string bytes = FittingJpeg(framed);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(Codes(CheckJpegPhoto(bytes)), std::set<std::string>{"PHOTO_BORDER"});
}

TEST(Photo, RefusesWhatIsNotAJpegForRId5) {
  std::string png = "\x89PNG\r\n\x1a\n" + std::string(20000, 'x');
  EXPECT_TRUE(Codes(CheckJpegPhoto(png)).count("PHOTO_NOT_JPEG"));
  std::string broken = "\xFF\xD8\xFF\xE0" + std::string(20000, '\x01');
  EXPECT_TRUE(Codes(CheckJpegPhoto(broken)).count("PHOTO_NOT_JPEG"));
  EXPECT_TRUE(Codes(CheckJpegPhoto("")).count("PHOTO_NOT_JPEG"));
}

TEST(Photo, NeverCrashesOnMutatedJpegs) {
  std::string bytes = FittingJpeg(Portrait());
  ASSERT_FALSE(bytes.empty());
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    std::string mutated = bytes;
    for (int flip = 0; flip < 8; ++flip) {
      mutated[random() % mutated.size()] = static_cast<char>(random());
    }
    mutated.resize(random() % mutated.size());
    auto check = CheckJpegPhoto(mutated);
    EXPECT_EQ(check.valid, check.problems.empty());
  }
}

}  // namespace
}  // namespace sscard::infra
