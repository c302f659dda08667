// Supervised fastText training with explicit arguments, single-threaded and seeded.
#include "classifier/fasttext_trainer.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fasttext/autotune.h>
#include <fasttext/fasttext.h>

namespace hamlet::classifier {
namespace {

namespace fs = std::filesystem;

// Every field set explicitly: Args() holds the skipgram defaults (minCount 5, char n-grams
// 3-6, ns loss, dim 100, 2M buckets, 12 threads, verbose 2).
fasttext::Args SupervisedArgs(const TrainOptions& o) {
  fasttext::Args a;
  a.input = o.input;
  a.model = fasttext::model_name::sup;
  a.loss = fasttext::loss_name::softmax;
  a.minCount = o.min_count;
  a.minCountLabel = 0;
  a.minn = o.minn;
  a.maxn = o.maxn;
  a.wordNgrams = o.word_ngrams;
  a.bucket = (o.word_ngrams > 1 || o.maxn > 0) ? o.bucket : 0;
  a.dim = o.dim;
  a.epoch = o.epoch;
  a.lr = o.lr;
  a.lrUpdateRate = 100;
  a.neg = 5;
  a.ws = 5;
  a.t = 1e-4;
  a.label = "__label__";
  a.thread = 1;
  a.seed = o.seed;
  a.verbose = 0;
  a.saveOutput = false;
  a.pretrainedVectors.clear();
  a.qout = false;
  a.qnorm = o.qnorm;
  a.retrain = o.retrain;
  a.cutoff = o.cutoff;
  a.dsub = o.dsub;
  a.autotuneValidationFile.clear();
  return a;
}

fasttext::FastText::TrainCallback Callback(const TrainOptions& o, double start, double span) {
  if (!o.on_progress) return {};
  return [&o, start, span](float progress, float loss, double, double, int64_t) {
    o.on_progress(start + span * static_cast<double>(progress), static_cast<double>(loss));
  };
}

core::Status Validate(const TrainOptions& o) {
  if (o.input.empty() || o.output.empty()) {
    return core::Status::InvalidArgument("training needs an input and an output path");
  }
  if (o.dim <= 0 || o.epoch <= 0 || o.lr <= 0 || o.word_ngrams < 1 || o.minn < 0 ||
      o.maxn < o.minn || o.bucket < 0 || o.min_count < 1 || o.dsub == 0) {
    return core::Status::InvalidArgument("invalid training options");
  }
  if ((o.word_ngrams > 1 || o.maxn > 0) && o.bucket == 0) {
    return core::Status::InvalidArgument("word or character n-grams need bucket > 0");
  }
  std::ifstream in(o.input);
  if (!in) return core::Status::InvalidArgument("cannot read training file '" + o.input + "'");
  std::string line;
  bool spam = false, ham = false;
  while (std::getline(in, line) && !(spam && ham)) {
    spam = spam || line.rfind("__label__spam", 0) == 0;
    ham = ham || line.rfind("__label__ham", 0) == 0;
  }
  if (!spam || !ham) {
    return core::Status::InvalidArgument("training file '" + o.input +
                                         "' needs both __label__spam and __label__ham lines");
  }
  return core::Status::Ok();
}

// Autotune writes its trials and the final training's progress bar to std::cerr whatever
// Args::verbose says; this swallows them for the lifetime of the object.
class SilencedStderr {
 public:
  SilencedStderr() : saved_(std::cerr.rdbuf(&null_)) {}
  ~SilencedStderr() { std::cerr.rdbuf(saved_); }
  SilencedStderr(const SilencedStderr&) = delete;
  SilencedStderr& operator=(const SilencedStderr&) = delete;

 private:
  struct NullBuffer : std::streambuf {
    int overflow(int c) override { return traits_type::not_eof(c); }
  };
  NullBuffer null_;
  std::streambuf* saved_;
};

}  // namespace

namespace {

// What the autotune child sends back: the chosen parameters, as text on one line.
struct Chosen {
  int dim = 0, epoch = 0, word_ngrams = 0, minn = 0, maxn = 0, bucket = 0;
  double lr = 0;
};

// Runs fastText's search in this process and returns its choice, or an error message.
// Called in the forked child only.
std::string SearchInChild(const TrainOptions& options, const std::string& validation,
                          int seconds, Chosen& chosen) {
  try {
    fasttext::Args args = SupervisedArgs(options);
    args.autotuneValidationFile = validation;
    args.autotuneMetric = "f1:__label__spam";
    args.autotunePredictions = 1;
    args.autotuneDuration = seconds;
    // Trials are scored unquantized (no autotune size constraint: each trial would end in an
    // uninterruptible product quantization); TrainSupervised then quantizes the chosen
    // settings under max_model_bytes, like any other model.
    // Searching dim and bucket costs more than the budget buys: autotune tries dims up to
    // 1000 and buckets up to 10M (GBs of memory). Fixed, they also bound each trial's size.
    args.setManual("dim");
    args.setManual("bucket");
    auto ft = std::make_shared<fasttext::FastText>();
    {
      SilencedStderr quiet;
      fasttext::Autotune(ft).train(args);
    }
    // The last model trained is the best trial's; its Args hold the chosen parameters.
    const fasttext::Args best = ft->getArgs();
    chosen = {best.dim, best.epoch, best.wordNgrams, best.minn, best.maxn, best.bucket, best.lr};
    return "";
  } catch (const std::exception& e) {
    return std::string("fastText autotune failed: ") + e.what();
  } catch (...) {
    return "fastText autotune failed";
  }
}

}  // namespace

core::Result<TrainOptions> AutotuneSupervised(const TrainOptions& options,
                                              const std::string& validation, int seconds) {
  if (seconds <= 0) {
    return core::Status::InvalidArgument("the autotune budget must be a positive number of seconds");
  }
  if (core::Status s = Validate(options); !s.ok()) return s;
  if (!std::ifstream(validation)) {
    return core::Status::InvalidArgument("cannot read validation file '" + validation + "'");
  }
  // fastText 0.9.2's search was seen to go on training long after its budget (its timer had
  // stopped, its trial loop had not), and nothing in its API stops it. So it runs in a child
  // process that is killed at a hard deadline.
  const int deadline_s = 3 * seconds + 30;
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return core::Status::Internal("autotune: cannot create a pipe");
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return core::Status::Internal("autotune: cannot fork");
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    Chosen chosen;
    const std::string error = SearchInChild(options, validation, seconds, chosen);
    char line[512];
    const int n = error.empty()
                      ? std::snprintf(line, sizeof line, "ok %d %d %d %d %d %d %.17g\n", chosen.dim,
                                      chosen.epoch, chosen.word_ngrams, chosen.minn, chosen.maxn,
                                      chosen.bucket, chosen.lr)
                      : std::snprintf(line, sizeof line, "error %s\n", error.c_str());
    if (n > 0) (void)!::write(pipe_fds[1], line, std::min<size_t>(n, sizeof line - 1));
    ::_exit(0);  // no destructors or atexit handlers of the parent's objects
  }
  ::close(pipe_fds[1]);
  std::string reply;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(deadline_s);
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          give_up - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buf[512];
    const ssize_t got = ::read(pipe_fds[0], buf, sizeof buf);
    if (got <= 0) break;  // the child closed its end: done
    reply.append(buf, static_cast<size_t>(got));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return core::Status::Internal(
        "fastText's autotune did not finish within " + std::to_string(deadline_s) +
        " s of a " + std::to_string(seconds) +
        " s budget and was stopped (a fastText 0.9.2 fault); train without --autotune-seconds");
  }
  if (reply.rfind("error ", 0) == 0) {
    return core::Status::Internal(reply.substr(6, reply.find_last_not_of('\n') - 5));
  }
  Chosen c;
  if (std::sscanf(reply.c_str(), "ok %d %d %d %d %d %d %lg", &c.dim, &c.epoch, &c.word_ngrams,
                  &c.minn, &c.maxn, &c.bucket, &c.lr) != 7) {
    return core::Status::Internal("fastText autotune ended without a result");
  }
  TrainOptions chosen = options;
  chosen.dim = c.dim;
  chosen.epoch = c.epoch;
  chosen.lr = c.lr;
  chosen.word_ngrams = c.word_ngrams;
  chosen.minn = c.minn;
  chosen.maxn = c.maxn;
  chosen.bucket = c.bucket;
  if ((chosen.word_ngrams > 1 || chosen.maxn > 0) && chosen.bucket <= 0) {
    chosen.bucket = options.bucket;
  }
  return chosen;
}

core::Status TrainSupervised(const TrainOptions& options) {
  if (core::Status s = Validate(options); !s.ok()) return s;
  const std::string tmp_out = options.output + ".tmp";
  const std::string tmp_bin = options.output + ".full.tmp";
  std::error_code ec;
  try {
    fasttext::Args args = SupervisedArgs(options);
    fasttext::FastText ft;
    ft.train(args, Callback(options, 0.0, options.quantize ? 0.8 : 1.0));
    if (!options.quantize) {
      ft.saveModel(tmp_out);
    } else {
      // Keep the full model so the quantization can be redone with a smaller cutoff.
      ft.saveModel(tmp_bin);
      size_t cutoff = options.cutoff;
      for (;;) {
        fasttext::FastText q;
        q.loadModel(tmp_bin);
        fasttext::Args qargs = args;
        qargs.cutoff = cutoff;
        // quantize() copies input (read again by the retraining), qout, epoch, lr, thread
        // and verbose from qargs; loadModel alone does not restore them.
        q.quantize(qargs, Callback(options, 0.8, 0.2));
        q.saveModel(tmp_out);
        auto size = static_cast<int64_t>(fs::file_size(tmp_out));
        if (options.max_model_bytes <= 0 || size <= options.max_model_bytes || cutoff < 1000) {
          break;
        }
        cutoff /= 2;
      }
      fs::remove(tmp_bin, ec);
    }
    fs::rename(tmp_out, options.output);
  } catch (const std::exception& e) {
    fs::remove(tmp_out, ec);
    fs::remove(tmp_bin, ec);
    return core::Status::Internal(std::string("fastText training failed: ") + e.what());
  } catch (...) {
    fs::remove(tmp_out, ec);
    fs::remove(tmp_bin, ec);
    return core::Status::Internal("fastText training failed");
  }
  return core::Status::Ok();
}

}  // namespace hamlet::classifier
