// CommitFeedbackLate: makes a feedback row with a smaller id commit after a row with a greater id
// has committed and could be read, on a PostgreSQL test database, the case that paging feedback
// by id misses (memory's catch-up across nodes). Test-only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/store.h"

namespace hamlet::testing {

struct LateFeedback {
  int64_t late_id = 0;     // `late`'s row: the smaller id, committed last
  int64_t earlier_id = 0;  // the row with the greater id, committed before it
};

// Appends `late` through `writer` (a store on the database at `url`) so that it takes its id,
// then another session commits a feedback row (decision_id NULL, label "spam", created at
// `late.created_ms`) with a greater id, then `between` runs, and only then `late` commits.
// REQUIRES: late.decision_id names a stored decision (holding its row lock is what keeps `late`
// from committing). How it happens in a cluster: an insert takes its id before its change stamp,
// whose lock another node's transaction may hold. Fails the test (REQUIRE) when it cannot set
// this up, and checks that the ids came in that order.
LateFeedback CommitFeedbackLate(const std::string& url, store::Store& writer,
                                const store::FeedbackRecord& late,
                                const std::function<void()>& between);

}  // namespace hamlet::testing
