// Trains the tiny test model through the project's own trainer.
#include "support/tiny_model.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "classifier/fasttext_trainer.h"

namespace hamlet::testing {

void WriteTinyTrainingFile(const std::string& path) {
  const char* spam[] = {"buy cheap pills online now _url_ _tld_com",
                        "best casino bonus click here _url_ _tld_ru",
                        "cheap viagra free shipping order today",
                        "win bitcoin fast click link _url_ _shortener_",
                        "check out my channel and subscribe please",
                        "make money from home call _phone_ now",
                        "free iphone giveaway click _url_ _tld_xyz",
                        "subscribe to my channel for free gift cards",
                        "cheap pills best price casino bonus",
                        "earn _num_ dollars a day working from home"};
  const char* ham[] = {"i agree with the point about schools",
                       "thanks for the clear article",
                       "the second chart looks wrong to me",
                       "great reporting on the council vote",
                       "my grandmother grew up in that town",
                       "interesting point about the budget",
                       "this song reminds me of summer",
                       "the chorus is so catchy i love it",
                       "who is watching this in _num_ ?",
                       "the video quality is great"};
  std::ofstream out(path);
  for (int round = 0; round < 2; ++round) {
    for (const char* s : spam) out << "__label__spam " << s << "\n";
    for (const char* h : ham) out << "__label__ham " << h << "\n";
  }
}

void WriteGeneratedExamples(const std::string& path, int examples, bool jsonl, int first) {
  const char* spam[] = {"buy cheap pills", "casino bonus click", "free iphone giveaway",
                        "subscribe to my channel", "earn money from home"};
  const char* ham[] = {"thanks for the article", "i agree with the point", "the chart looks wrong",
                       "great reporting on the vote", "this song reminds me"};
  std::ofstream out(path);
  for (int i = first; i < first + examples; ++i) {
    const bool is_spam = i % 2 == 0;
    const std::string text = std::string(is_spam ? spam[i % 5] : ham[i % 5]) +
                             (is_spam ? " offer" : " topic") + std::to_string(i % 600) +
                             (is_spam ? " http://shop" + std::to_string(i % 7) + ".example.com"
                                      : " about town" + std::to_string(i % 9));
    if (jsonl) {
      out << R"({"label":")" << (is_spam ? "spam" : "ham") << R"(","comment_content":")" << text
          << "\"}\n";
    } else {
      out << (is_spam ? "__label__spam " : "__label__ham ") << text << "\n";
    }
  }
}

const std::string& TinyModelPath() {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hamlet-tiny-model-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto input = (dir / "train.txt").string();
    WriteTinyTrainingFile(input);
    classifier::TrainOptions options;
    options.input = input;
    options.output = (dir / "tiny.bin").string();
    options.quantize = false;
    options.dim = 8;
    options.epoch = 30;
    options.bucket = 1000;
    if (auto status = classifier::TrainSupervised(options); !status.ok()) {
      std::fprintf(stderr, "cannot train the tiny test model: %s\n", status.ToString().c_str());
      std::abort();
    }
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                      ("hamlet-tiny-model-" + std::to_string(::getpid())),
                                  ec);
    });
    return options.output;
  }();
  return path;
}

}  // namespace hamlet::testing
