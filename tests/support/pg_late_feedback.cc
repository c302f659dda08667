// Sets up a feedback row that commits after a row with a greater id (see pg_late_feedback.h).
#include "support/pg_late_feedback.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "store/postgres_store_internal.h"

namespace hamlet::testing {
namespace {

std::unique_ptr<store::internal::PgConnection> Session(const std::string& url) {
  auto conn = store::internal::PgConnection::Open(url, nullptr);
  REQUIRE_MESSAGE(conn.has_value(), (conn ? "" : conn.error().ToString()));
  return std::move(conn).value();
}

void ExecOrFail(store::internal::PgConnection& conn, const std::string& sql) {
  core::Status s = conn.Exec(sql);
  REQUIRE_MESSAGE(s.ok(), s.ToString());
}

}  // namespace

LateFeedback CommitFeedbackLate(const std::string& url, store::Store& writer,
                                const store::FeedbackRecord& late,
                                const std::function<void()>& between) {
  REQUIRE_FALSE(late.decision_id.empty());
  // Holds the decision's row: `late`'s foreign-key check waits for it, after its stamp.
  auto holder = Session(url);
  ExecOrFail(*holder, "BEGIN");
  {
    store::internal::PgParams p;
    p.BindText(1, late.decision_id);
    auto locked = holder->Query("SELECT id FROM decisions WHERE id = $1 FOR UPDATE", p);
    REQUIRE_MESSAGE(locked.has_value(), (locked ? "" : locked.error().ToString()));
    REQUIRE(locked->rows() == 1);
  }
  // Another node's transaction takes the change clock: `late`'s insert, having taken its id,
  // waits for it.
  auto other = Session(url);
  ExecOrFail(*other, "BEGIN; SELECT hamlet_change_stamp()");
  LateFeedback out;
  core::Status appended = core::Status::Internal("not appended");
  std::thread append([&] {
    auto id = writer.AppendFeedback(late);
    if (id) {
      out.late_id = *id;
      appended = core::Status::Ok();
    } else {
      appended = id.error();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  {
    store::internal::PgParams p;
    p.BindInt(1, late.created_ms);
    auto inserted = other->Query(
        "INSERT INTO feedback (label, source, moderator, created_ms, is_test, fields)"
        " VALUES ('spam', 'v1', '', $1, 0, '[]') RETURNING id",
        p);
    REQUIRE_MESSAGE(inserted.has_value(), (inserted ? "" : inserted.error().ToString()));
    out.earlier_id = inserted->row(0).ColumnInt(0);
  }
  ExecOrFail(*other, "COMMIT");
  // `late` now has its stamp and waits for the decision's row.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  try {
    between();
  } catch (...) {  // a failed REQUIRE: let the append finish before the test unwinds
    (void)holder->Exec("ROLLBACK");
    append.join();
    throw;
  }
  ExecOrFail(*holder, "ROLLBACK");
  append.join();
  REQUIRE_MESSAGE(appended.ok(), appended.ToString());
  CHECK(out.late_id < out.earlier_id);  // the interleaving this helper exists for
  return out;
}

}  // namespace hamlet::testing
