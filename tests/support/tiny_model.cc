// Trains the tiny test model through the project's own trainer.
#include "support/tiny_model.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "classifier/fasttext_trainer.h"

namespace hamlet::testing {

const std::string& TinyModelPath() {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hamlet-tiny-model-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto input = (dir / "train.txt").string();
    {
      std::ofstream out(input);
      const char* spam[] = {"buy cheap pills online now", "best casino bonus click here",
                            "cheap viagra free shipping", "win bitcoin fast click link",
                            "cheap pills best price casino", "visit my site for cheap viagra"};
      const char* ham[] = {"i agree with the point about schools", "thanks for the clear article",
                           "the second chart looks wrong to me", "great reporting on the council vote",
                           "my grandmother grew up in that town", "interesting point about the budget"};
      for (int round = 0; round < 4; ++round) {
        for (const char* s : spam) out << "__label__spam " << s << "\n";
        for (const char* h : ham) out << "__label__ham " << h << "\n";
      }
    }
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
