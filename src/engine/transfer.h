// Transfer: labeled decisions out of and into the decision log (`hamlet export`, `hamlet
// import`), to retrain elsewhere or to move a site to another installation. The JSONL encoding
// lives in app/decision_jsonl.h; this is what is exported and how an import stays idempotent.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/moderation.h"
#include "store/store.h"

namespace hamlet::engine {

// A decision with the label in force on it, and the feedback row that label comes from.
struct LabeledDecision {
  store::DecisionRecord decision;
  store::FeedbackRecord label;
};

struct ImportSummary {
  int64_t created = 0;    // new decisions, each with its label
  int64_t relabeled = 0;  // decisions that were there with another label (or none): label added
  int64_t unchanged = 0;  // decisions that were there with this label already
};

class Transfer {
 public:
  Transfer(store::Store& store, const Moderation& moderation, const core::Clock& clock);

  // Calls `emit` with each decision `query` selects that carries a label, oldest first;
  // test calls and purged decisions (no text left) are left out. Stops at emit's first error
  // and returns it.
  core::Status Export(const QueueQuery& query,
                      const std::function<core::Status(const LabeledDecision&)>& emit) const;

  // Adds `items` to the log: a decision whose id is new is created (channel "import", bound
  // to `key_id`, 0 for none) with its label as feedback (source "import"); a decision that is
  // there gets the label as new feedback only when its label in force differs. So importing
  // the same file twice changes nothing the second time. Written in transactions of a few
  // hundred items; with `dry_run` nothing is written. InvalidArgument for an item without an
  // id or with a label other than spam/ham, or an unknown key (nothing of that transaction
  // is written).
  core::Result<ImportSummary> Import(const std::vector<LabeledDecision>& items, int64_t key_id,
                                     bool dry_run) const;

 private:
  store::Store& store_;
  const Moderation& moderation_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
