// Stored traces: the footprint and lesson memory keeps of a decision or a feedback row read
// back from the store (its memory_* columns, or derived from its stored comment), shared by
// memory's rebuild and catch-up (SyncedMemory) and by FeedbackService's labels.
#pragma once

#include <optional>

#include "engine/footprint.h"
#include "engine/signal_memory.h"
#include "store/store.h"

namespace hamlet::engine {

// The footprint and lesson memory keeps of a stored decision: its trace, or, for a decision
// stored without one, derived from its comment (its confident verdict as the lesson). nullopt
// for tests, rechecks and unreadable traces.
struct StoredFootprint {
  Footprint footprint;
  Lesson lesson = Lesson::kNone;
};
std::optional<StoredFootprint> FootprintOfStored(const SignalMemory& memory,
                                                 const store::MemoryDecision& decision);
// The same view of a full decision record (what FeedbackService reads).
store::MemoryDecision MemoryView(const store::DecisionRecord& record);
// The correction a feedback row asks for; nullopt for tests, labels of rechecks or tests, and
// feedback memory cannot read.
std::optional<Correction> CorrectionOf(const SignalMemory& memory,
                                       const store::MemoryFeedback& feedback);
// The correction an undo asks for: the label in force after it (the decision's latest label
// left, or none), as of the revoked row. nullopt for tests, rechecks and unreadable traces.
std::optional<Correction> CorrectionOf(const SignalMemory& memory,
                                       const store::MemoryRevocation& revocation);

}  // namespace hamlet::engine
