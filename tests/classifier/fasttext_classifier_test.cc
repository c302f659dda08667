// FastTextClassifier: load errors, the margin against fastText's own numbers, thread safety.
#include "classifier/fasttext_classifier.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "classifier/fasttext_trainer.h"
#include "support/files.h"
#include "support/model_files.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace hamlet::classifier {
namespace {



// Trains a tiny model into `dir` and returns its path.
std::string TrainTiny(const testing::TempDir& dir, bool quantize, int epoch = 20) {
  testing::WriteTinyTrainingFile(dir.File("train.txt"));
  TrainOptions o;
  o.input = dir.File("train.txt");
  o.output = dir.File(quantize ? "tiny.ftz" : "tiny.bin");
  o.dim = 8;
  o.epoch = epoch;
  o.bucket = 2000;
  o.quantize = quantize;
  auto status = TrainSupervised(o);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return o.output;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void CheckInvalid(const std::string& path, const char* what) {
  CAPTURE(what);
  auto model = FastTextClassifier::Load(path);
  REQUIRE(!model.has_value());
  CHECK(model.error().code() == core::StatusCode::kInvalidArgument);
  CHECK(model.error().message().find("model file '" + path + "' is not a valid fastText model") ==
        0);
}

const char* const kTexts[] = {
    "cheap pills casino bonus click _url_ _tld_com",
    "thanks for the clear article about the council",
    "subscribe to my channel i love this song",
    "the chorus is catchy but check out my channel",
    "completely unseen words here",
    "who is watching this in _num_ ? free iphone",
    "",
};

TEST_SUITE("classifier/fasttext_classifier") {

TEST_CASE("returns NotFound for a missing model file") {
  auto model = FastTextClassifier::Load("/nonexistent/dir/model.ftz");
  REQUIRE(!model.has_value());
  CHECK(model.error().code() == core::StatusCode::kNotFound);
  CHECK(model.error().message() == "model file '/nonexistent/dir/model.ftz' not found");
}

TEST_CASE("returns InvalidArgument for files that are not fastText models") {
  testing::TempDir dir;
  SUBCASE("random bytes") {
    std::mt19937 rng(42);
    std::string bytes(4096, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    WriteAll(dir.File("random.ftz"), bytes);
    CheckInvalid(dir.File("random.ftz"), "random bytes");
  }
  SUBCASE("empty file") {
    WriteAll(dir.File("empty.ftz"), "");
    CheckInvalid(dir.File("empty.ftz"), "empty");
  }
  SUBCASE("a directory") {
    CheckInvalid(dir.path(), "directory");
  }
  SUBCASE("text file") {
    WriteAll(dir.File("text.bin"), "__label__spam hello\n");
    CheckInvalid(dir.File("text.bin"), "text");
  }
}

TEST_CASE("returns InvalidArgument for truncated or corrupted copies of a real model") {
  testing::TempDir dir;
  for (bool quantize : {false, true}) {
    CAPTURE(quantize);
    std::string bytes = ReadAll(TrainTiny(dir, quantize));
    REQUIRE(bytes.size() > 1000);
    for (size_t keep : {size_t{4}, size_t{8}, size_t{30}, size_t{70}, size_t{100}, size_t{200},
                        bytes.size() / 2, bytes.size() - 100, bytes.size() - 1}) {
      CAPTURE(keep);
      WriteAll(dir.File("cut.model"), bytes.substr(0, keep));
      CheckInvalid(dir.File("cut.model"), "truncated");
    }
    WriteAll(dir.File("long.model"), bytes + "x");
    CheckInvalid(dir.File("long.model"), "trailing byte");
    // Random garbage over the header sizes (after magic and version).
    std::mt19937 rng(7);
    for (int trial = 0; trial < 50; ++trial) {
      std::string bad = bytes;
      for (int k = 0; k < 4; ++k) bad[8 + rng() % 120] = static_cast<char>(rng());
      WriteAll(dir.File("bad.model"), bad);
      auto model = FastTextClassifier::Load(dir.File("bad.model"));  // must not crash
      if (model.has_value()) CHECK((*model)->Predict("cheap pills").has_value());
    }
  }
}

TEST_CASE("returns InvalidArgument for a model without exactly the spam and ham labels") {
  // The trainer refuses other labels, so rename one in a real model's dictionary instead.
  testing::TempDir dir;
  std::string bytes = ReadAll(TrainTiny(dir, true));
  size_t at = bytes.find(std::string("__label__spam") + '\0');
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 13, "__label__spom");
  std::string path = dir.File("renamed.ftz");
  WriteAll(path, bytes);
  auto model = FastTextClassifier::Load(path);
  REQUIRE(!model.has_value());
  CHECK(model.error().code() == core::StatusCode::kInvalidArgument);
  CHECK(model.error().message().find("__label__spam") != std::string::npos);
}

TEST_CASE("loads a good model and names it by file stem and content hash") {
  testing::TempDir dir;
  std::string path = TrainTiny(dir, true);
  auto model = FastTextClassifier::Load(path);
  REQUIRE(model.has_value());
  const std::string& version = (*model)->Version();
  REQUIRE(version.size() == std::string("tiny@").size() + 8);
  CHECK(version.rfind("tiny@", 0) == 0);
  CHECK(version.find_first_not_of("0123456789abcdef", 5) == std::string::npos);
  // Same bytes under another name: same hash; other bytes: another hash.
  std::filesystem::copy_file(path, dir.File("copy.ftz"));
  auto copy = FastTextClassifier::Load(dir.File("copy.ftz"));
  REQUIRE(copy.has_value());
  CHECK((*copy)->Version() == "copy@" + version.substr(5));
  auto other = FastTextClassifier::Load(TrainTiny(dir, false));
  REQUIRE(other.has_value());
  CHECK((*other)->Version().substr(5) != version.substr(5));
}

TEST_CASE("computes the margin as fastText's hidden layer times its output matrix") {
  testing::TempDir dir;
  for (bool quantize : {false, true}) {
    CAPTURE(quantize);
    // Few epochs, so that fastText's probabilities are not saturated and can be compared.
    auto model = FastTextClassifier::Load(TrainTiny(dir, quantize, 3));
    REQUIRE(model.has_value());
    int compared = 0;
    for (const char* text : kTexts) {
      CAPTURE(text);
      auto p = (*model)->Predict(text);
      REQUIRE(p.has_value());
      CHECK(p->spam_probability == doctest::Approx(1.0 / (1.0 + std::exp(-p->margin))));
      auto ref = (*model)->ReferenceForTesting(text);
      REQUIRE(ref.has_value());
      CHECK(p->margin == doctest::Approx(ref->sentence_vector_margin).epsilon(1e-5));
      // predictLine adds 1e-5 to each softmax output before its log and exp.
      double ps = ref->p_spam - 1e-5, ph = ref->p_ham - 1e-5;
      if (ps > 1e-3 && ph > 1e-3) {
        CHECK(p->margin == doctest::Approx(std::log(ps / ph)).epsilon(1e-3));
        CHECK(p->spam_probability == doctest::Approx(ps / (ps + ph)).epsilon(1e-3));
        ++compared;
      }
    }
    CHECK(compared >= 3);
  }
}

TEST_CASE("sums its pre-decoded input rows exactly as fastText's own matrix does") {
  // Tiny models (dense and quantized) on the fixed texts, and the shipped quantized model on
  // every line of our example files (JSON text: many known and unknown words).
  testing::TempDir dir;
  std::vector<std::string> texts(std::begin(kTexts), std::end(kTexts));
  std::vector<std::string> models = {TrainTiny(dir, false), TrainTiny(dir, true)};
  if (std::filesystem::exists(testing::ShippedModelPath())) {
    models.push_back(testing::ShippedModelPath());
    for (const char* file : {"/data/example-comments.jsonl", "/data/blog-comments-seed.jsonl"}) {
      std::string all = testing::ReadFile(std::string(HAMLET_SOURCE_DIR) + file);
      for (size_t start = 0, end; start < all.size(); start = end + 1) {
        end = all.find('\n', start);
        if (end == std::string::npos) end = all.size();
        texts.push_back(all.substr(start, end - start));
      }
    }
  }
  for (const std::string& path : models) {
    CAPTURE(path);
    auto model = FastTextClassifier::Load(path);
    REQUIRE(model.has_value());
    int mismatches = 0;
    for (const std::string& text : texts) {
      auto p = (*model)->Predict(text);
      auto ref = (*model)->ReferenceForTesting(text);
      REQUIRE(p.has_value());
      REQUIRE(ref.has_value());
      if (p->margin != ref->matrix_rows_margin) {
        ++mismatches;
        CAPTURE(text);
        CHECK(p->margin == ref->matrix_rows_margin);
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("keeps ranking where fastText's probability saturates") {
  testing::TempDir dir;
  auto model = FastTextClassifier::Load(TrainTiny(dir, false, 200));
  REQUIRE(model.has_value());
  auto a = (*model)->Predict("cheap pills casino bonus");
  auto b = (*model)->Predict("cheap pills casino bonus cheap pills casino bonus free iphone");
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->margin > 5);
  CHECK(a->margin != b->margin);
}

TEST_CASE("reads a multi-line text as one line") {
  testing::TempDir dir;
  auto model = FastTextClassifier::Load(TrainTiny(dir, false));
  REQUIRE(model.has_value());
  auto one = (*model)->Predict("thanks for the article cheap pills casino");
  auto multi = (*model)->Predict("thanks for the article\ncheap pills\r\ncasino\n");
  REQUIRE(one.has_value());
  REQUIRE(multi.has_value());
  CHECK(one->margin == doctest::Approx(multi->margin));
  auto empty = (*model)->Predict("");
  REQUIRE(empty.has_value());
  CHECK(std::isfinite(empty->margin));
}

TEST_CASE("predicts the same from four threads as from one") {
  testing::TempDir dir;
  auto loaded = FastTextClassifier::Load(TrainTiny(dir, true));
  REQUIRE(loaded.has_value());
  const FastTextClassifier& model = **loaded;
  std::vector<double> expected;
  for (const char* text : kTexts) expected.push_back(model.Predict(text)->margin);
  constexpr int kThreads = 4, kRounds = 2000;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        size_t i = static_cast<size_t>(r + t) % std::size(kTexts);
        auto p = model.Predict(kTexts[i]);
        if (!p.has_value() || p->margin != expected[i]) ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

}  // TEST_SUITE

}  // namespace
}  // namespace hamlet::classifier
