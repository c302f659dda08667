// FastTextClassifier: structural check of the model file, loading, and the margin computed
// from fastText's hidden layer and output matrix.
#include "classifier/fasttext_classifier.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <fasttext/densematrix.h>
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>
#include <openssl/evp.h>

namespace hamlet::classifier {
namespace {

constexpr int32_t kFastTextMagic = 793712314;  // FASTTEXT_FILEFORMAT_MAGIC_INT32
constexpr int32_t kFastTextVersion = 12;       // FASTTEXT_VERSION in 0.9.2
constexpr int64_t kMaxModelBytes = int64_t{2} << 30;
constexpr int64_t kCentroidsPerSubquantizer = 256;  // ProductQuantizer::ksub_
// Largest quantized input matrix decoded to floats at load (FastTextClassifier::Model): the
// models `hamlet train` writes under its default 3 MB cap decode to at most ~25 MB.
constexpr int64_t kMaxDecodedBytes = int64_t{64} << 20;

// Walks a fastText model file (the layout FastText::saveModel writes in 0.9.2) with bounds
// checks, so that loadModel never sees a file that would make it read garbage sizes.
class ModelFileChecker {
 public:
  explicit ModelFileChecker(std::string_view bytes) : bytes_(bytes) {}

  // Empty when the file is well formed, else what is wrong.
  std::string Check() {
    int32_t magic = 0, version = 0;
    if (!Read(magic) || magic != kFastTextMagic) return "bad magic number";
    if (!Read(version) || version < 11 || version > kFastTextVersion) {
      return "unsupported version " + std::to_string(version);
    }
    int32_t args[12];  // dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate
    double t;
    for (int32_t& a : args) {
      if (!Read(a)) return Truncated();
    }
    if (!Read(t)) return Truncated();
    dim_ = args[0];
    const int32_t word_ngrams = args[5], model = args[7], bucket = args[8], maxn = args[10];
    if (dim_ <= 0 || dim_ > 10000) return "bad dimension " + std::to_string(dim_);
    if (model != 3) return "not a supervised model";
    // Other losses have other output layers (hs: a tree) or other semantics (ova, ns).
    if (args[6] != 3) return "not a softmax model";
    if (bucket < 0 || word_ngrams < 1 || word_ngrams > 100 || maxn < 0 || maxn > 100) {
      return "bad n-gram arguments";
    }
    if ((word_ngrams > 1 || maxn > 0) && bucket == 0) return "n-grams without hash buckets";

    int32_t size = 0, nwords = 0, nlabels = 0;
    int64_t ntokens = 0, prune_size = 0;
    if (!Read(size) || !Read(nwords) || !Read(nlabels) || !Read(ntokens) || !Read(prune_size)) {
      return Truncated();
    }
    if (size < 0 || nwords < 0 || nlabels < 0 || int64_t{nwords} + nlabels != size ||
        prune_size < -1) {
      return "inconsistent dictionary header";
    }
    for (int32_t i = 0; i < size; ++i) {
      size_t end = bytes_.find('\0', pos_);
      if (end == std::string_view::npos) return Truncated();
      pos_ = end + 1;
      int64_t count;
      int8_t type;
      if (!Read(count) || !Read(type)) return Truncated();
      if (type != (i < nwords ? 0 : 1)) return "inconsistent dictionary entries";
    }
    // A pruned (quantized) dictionary maps n-gram hashes to rows after the words.
    int64_t max_pruned_row = -1;
    for (int64_t i = 0; i < prune_size; ++i) {
      int32_t hash_id, row;
      if (!Read(hash_id) || !Read(row)) return Truncated();
      if (row < 0) return "bad pruned index";
      max_pruned_row = std::max<int64_t>(max_pruned_row, row);
    }

    bool quant_input = false;
    if (!ReadBool(quant_input)) return Truncated();
    int64_t in_rows = 0;
    if (std::string e = CheckMatrix(quant_input, in_rows); !e.empty()) return e;
    if (in_rows < nwords) return "input matrix smaller than the vocabulary";
    if (!quant_input && prune_size >= 0) return "pruned dictionary with a dense input matrix";
    // Rows read for an n-gram are nwords + hash % bucket, or nwords + a pruned index.
    if (prune_size < 0 && in_rows != int64_t{nwords} + bucket) return "input matrix size mismatch";
    if (prune_size >= 0 && int64_t{nwords} + max_pruned_row >= in_rows) {
      return "pruned index outside the input matrix";
    }
    bool qout = false;
    if (!ReadBool(qout)) return Truncated();
    int64_t out_rows = 0;
    if (std::string e = CheckMatrix(quant_input && qout, out_rows); !e.empty()) return e;
    if (out_rows != nlabels) return "output matrix size mismatch";
    if (pos_ != bytes_.size()) return "trailing bytes after the model";
    return "";
  }

 private:
  template <typename T>
  bool Read(T& v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool ReadBool(bool& v) {
    uint8_t b;
    if (!Read(b) || b > 1) return false;
    v = b == 1;
    return true;
  }
  // Skips count * width bytes, without overflow.
  bool Skip(int64_t count, int64_t width) {
    if (count < 0) return false;
    uint64_t remaining = bytes_.size() - pos_;
    if (static_cast<uint64_t>(count) > remaining / static_cast<uint64_t>(width)) return false;
    pos_ += static_cast<size_t>(count * width);
    return true;
  }
  static std::string Truncated() { return "file is truncated"; }

  std::string CheckQuantizer(int64_t expect_dim, int32_t& nsubq) {
    int32_t pq_dim, dsub, lastdsub;
    if (!Read(pq_dim) || !Read(nsubq) || !Read(dsub) || !Read(lastdsub)) return Truncated();
    if (pq_dim != expect_dim || dsub <= 0 || nsubq <= 0 || lastdsub <= 0 ||
        int64_t{nsubq - 1} * dsub + lastdsub != pq_dim) {
      return "inconsistent product quantizer";
    }
    if (!Skip(int64_t{pq_dim} * kCentroidsPerSubquantizer, 4)) return Truncated();
    return "";
  }

  std::string CheckMatrix(bool quantized, int64_t& rows) {
    if (!quantized) {
      int64_t m, n;
      if (!Read(m) || !Read(n)) return Truncated();
      if (m < 0 || n != dim_) return "matrix size mismatch";
      rows = m;
      if (!Skip(m, n * 4)) return Truncated();
      return "";
    }
    bool qnorm = false;
    int64_t m, n;
    int32_t codesize;
    if (!ReadBool(qnorm) || !Read(m) || !Read(n) || !Read(codesize)) return Truncated();
    if (m < 0 || n != dim_ || codesize < 0) return "quantized matrix size mismatch";
    rows = m;
    if (!Skip(codesize, 1)) return Truncated();
    int32_t nsubq = 0;
    if (std::string e = CheckQuantizer(n, nsubq); !e.empty()) return e;
    if (int64_t{codesize} != m * nsubq) return "quantized matrix size mismatch";
    if (qnorm) {
      if (!Skip(m, 1)) return Truncated();
      int32_t norm_nsubq = 0;
      if (std::string e = CheckQuantizer(1, norm_nsubq); !e.empty()) return e;
    }
    return "";
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  int32_t dim_ = 0;
};

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 0xF]);
  }
  return hex;
}

// getLine stops at the first '\n': one line, ended by exactly one newline (as in training).
std::string OneLine(std::string_view text) {
  std::string line;
  line.reserve(text.size() + 1);
  for (char c : text) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  line.push_back('\n');
  return line;
}

}  // namespace

// fastText keeps the matrices protected; this subclass reads them through const methods
// only, which is what makes Predict safe to call concurrently.
class FastTextClassifier::Model : public fasttext::FastText {
 public:
  int32_t spam_id = -1;
  int32_t ham_id = -1;

  // Makes every input row readable as dim floats: the dense matrix's own storage, or, for a
  // quantized model, the rows decoded once here. Decoding a quantized row on every use (a
  // centroid look-up per sub-quantizer) was about 90% of a prediction's cost; decoded, the
  // shipped model's rows take about 11 MB. The sums are the same floats, in the same order,
  // as fastText's QuantMatrix::addRowToVector (x[j] += norm * centroid[j] onto zero).
  // A quantized model too large to decode within kMaxDecodedBytes keeps fastText's per-use
  // decoding (rows_ stays null): a small .ftz can stand for a matrix of gigabytes.
  void PrepareRows() {
    const int64_t rows = input_->size(0);
    dim_ = input_->size(1);
    if (const auto* dense = dynamic_cast<const fasttext::DenseMatrix*>(input_.get())) {
      rows_ = dense->data();
      return;
    }
    if (rows * dim_ > kMaxDecodedBytes / static_cast<int64_t>(sizeof(fasttext::real))) return;
    decoded_.resize(static_cast<size_t>(rows * dim_));
    fasttext::Vector row(dim_);
    for (int64_t i = 0; i < rows; ++i) {
      row.zero();
      input_->addRowToVector(row, static_cast<int32_t>(i));
      std::copy(row.data(), row.data() + dim_, decoded_.begin() + i * dim_);
    }
    rows_ = decoded_.data();
  }

  // logit(spam) - logit(ham) for one line ending in '\n'; 0 when no token is known.
  double Margin(const std::string& line) const {
    if (rows_ == nullptr) return MarginFromMatrix(line);
    std::vector<int32_t> words;
    Ids(line, words);
    if (words.empty()) return 0.0;
    // Model::computeHidden: the mean of the input rows of the words and n-grams.
    fasttext::Vector hidden(dim_);
    hidden.zero();
    fasttext::real* h = hidden.data();
    for (int32_t w : words) {
      const fasttext::real* row = rows_ + static_cast<int64_t>(w) * dim_;
      for (int64_t j = 0; j < dim_; ++j) h[j] += row[j];
    }
    hidden.mul(static_cast<fasttext::real>(1.0 / static_cast<double>(words.size())));
    return static_cast<double>(output_->dotRow(hidden, spam_id)) -
           static_cast<double>(output_->dotRow(hidden, ham_id));
  }

  // The same margin through fastText's own row access (decoding quantized rows each time).
  double MarginFromMatrix(const std::string& line) const {
    std::vector<int32_t> words;
    Ids(line, words);
    if (words.empty()) return 0.0;
    fasttext::Vector hidden(args_->dim);
    hidden.zero();
    for (int32_t w : words) input_->addRowToVector(hidden, w);
    hidden.mul(static_cast<fasttext::real>(1.0 / static_cast<double>(words.size())));
    return static_cast<double>(output_->dotRow(hidden, spam_id)) -
           static_cast<double>(output_->dotRow(hidden, ham_id));
  }

 private:
  // The input row ids of the line's words, character n-grams and word n-grams.
  void Ids(const std::string& line, std::vector<int32_t>& words) const {
    std::istringstream in(line);
    std::vector<int32_t> labels;
    dict_->getLine(in, words, labels);
  }

  const fasttext::real* rows_ = nullptr;
  int64_t dim_ = 0;
  std::vector<fasttext::real> decoded_;
};

FastTextClassifier::FastTextClassifier(std::unique_ptr<Model> model, std::string version)
    : model_(std::move(model)), version_(std::move(version)) {}

FastTextClassifier::~FastTextClassifier() = default;

core::Result<std::unique_ptr<FastTextClassifier>> FastTextClassifier::Load(
    const std::string& path) {
  namespace fs = std::filesystem;
  auto invalid = [&path](const std::string& why) {
    return core::Status::InvalidArgument("model file '" + path +
                                         "' is not a valid fastText model: " + why);
  };
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return core::Status::NotFound("model file '" + path + "' not found");
  if (!fs::is_regular_file(st)) return invalid("not a regular file");
  uintmax_t size = fs::file_size(path, ec);
  if (ec) return invalid("cannot read its size: " + ec.message());
  if (size > static_cast<uintmax_t>(kMaxModelBytes)) return invalid("file is too large");

  std::ifstream file(path, std::ios::binary);
  if (!file) return invalid("cannot be opened");
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return invalid("read error");

  if (std::string why = ModelFileChecker(bytes).Check(); !why.empty()) return invalid(why);

  auto model = std::make_unique<Model>();
  try {
    // loadModel(istream) expects the stream after the magic number and version, which
    // loadModel(filename) reads itself (checkModel); the checker has vetted both.
    std::istringstream in(bytes);
    in.seekg(2 * sizeof(int32_t));
    model->loadModel(in);
    model->PrepareRows();
    auto dict = model->getDictionary();
    if (dict->nlabels() != 2) {
      return invalid("expected the labels __label__spam and __label__ham, found " +
                     std::to_string(dict->nlabels()) + " labels");
    }
    for (int32_t i = 0; i < 2; ++i) {
      std::string label = dict->getLabel(i);
      if (label == "__label__spam") {
        model->spam_id = i;
      } else if (label == "__label__ham") {
        model->ham_id = i;
      }
    }
    if (model->spam_id < 0 || model->ham_id < 0) {
      return invalid("expected the labels __label__spam and __label__ham, found '" +
                     dict->getLabel(0) + "' and '" + dict->getLabel(1) + "'");
    }
  } catch (const std::exception& e) {
    return invalid(e.what());
  } catch (...) {
    return invalid("unknown error while loading");
  }
  std::string version = fs::path(path).stem().string() + "@" + Sha256Hex(bytes).substr(0, 8);
  return std::unique_ptr<FastTextClassifier>(
      new FastTextClassifier(std::move(model), std::move(version)));
}

core::Result<core::Prediction> FastTextClassifier::Predict(std::string_view normalized_text) const {
  core::Prediction p;
  try {
    p.margin = model_->Margin(OneLine(normalized_text));
  } catch (const std::exception& e) {
    return core::Status::Internal(std::string("fastText prediction failed: ") + e.what());
  }
  if (!std::isfinite(p.margin)) return core::Status::Internal("fastText prediction is not finite");
  p.spam_probability = 1.0 / (1.0 + std::exp(-p.margin));
  return p;
}

core::Result<FastTextClassifier::Reference> FastTextClassifier::ReferenceForTesting(
    std::string_view normalized_text) const {
  std::string line(normalized_text);
  line.push_back('\n');
  Reference ref;
  try {
    std::istringstream in(line);
    std::vector<std::pair<fasttext::real, std::string>> preds;
    model_->predictLine(in, preds, -1, 0.0);
    for (const auto& [p, label] : preds) {
      (label == "__label__spam" ? ref.p_spam : ref.p_ham) = static_cast<double>(p);
    }
    std::istringstream in2(line);
    fasttext::Vector v(model_->getDimension());
    model_->getSentenceVector(in2, v);
    auto out = model_->getOutputMatrix();  // dense only (qout = false)
    ref.sentence_vector_margin = static_cast<double>(out->dotRow(v, model_->spam_id)) -
                                 static_cast<double>(out->dotRow(v, model_->ham_id));
    ref.matrix_rows_margin = model_->MarginFromMatrix(OneLine(normalized_text));
  } catch (const std::exception& e) {
    return core::Status::Internal(e.what());
  }
  return ref;
}

}  // namespace hamlet::classifier
