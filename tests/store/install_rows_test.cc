// Tests for moving an installation's rows (Store::CountInstallRows, ExportInstallRows,
// ImportInstallRows) on both backends: pages cover every row once, an import keeps every
// column and id and moves the id counters past them, and a refused row writes nothing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/installation_fixture.h"
#include "support/store_backends.h"

namespace hamlet::store {
namespace {

int64_t Count(Store& store, InstallTable table) {
  auto n = store.CountInstallRows(table);
  REQUIRE_MESSAGE(n.has_value(), n.error().ToString());
  return *n;
}

}  // namespace

TEST_SUITE("store/install_rows") {
  TEST_CASE_TEMPLATE("export pages hold every row once in write order", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    for (InstallTable table : kInstallTables) CHECK(Count(*store, table) == 0);
    testing::PopulateInstallation(*store);
    for (int limit : {1, 3, 1000}) {
      CAPTURE(limit);
      InstallRows all = testing::ExportAllRows(*store, limit);
      CHECK(static_cast<int64_t>(all.meta.size()) == Count(*store, InstallTable::kMeta));
      CHECK(all.keys.size() == 3);
      CHECK(all.settings.size() == 2);
      CHECK(all.list_entries.size() == 2);
      CHECK(all.actions.size() == 2);
      CHECK(all.feedback.size() == 4);
      CHECK(all.webhook_events.size() == 3);
      REQUIRE(all.published_models.size() == 3);
      CHECK(all.published_models[1].model.size() == 256);
      CHECK(all.published_models[1].model_bytes == 256);
      CHECK(all.published_models[1].model[249] == '\0');  // (249 + 7) & 0xFF
      CHECK(all.deleted_counts.size() == 2);
      std::vector<std::string> ids;
      for (const DecisionRecord& d : all.decisions) ids.push_back(d.id);
      // d3 and d4 share created_ms: insertion order decides.
      CHECK(ids == std::vector<std::string>{"d1", "d2", "d3", "d4", "d5"});
    }
    CHECK_FALSE(store->ExportInstallRows(InstallTable::kDecisions, 0, 0));
  }

  TEST_CASE_TEMPLATE("an import keeps every column and id and later ids follow them", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(source, Backend);
    testing::PopulateInstallation(*source);
    HAMLET_OPEN_TEST_STORE(copy, Backend);
    // Two batches, as hamlet migrate writes them.
    InstallRows all = testing::ExportAllRows(*source, 1000);
    InstallRows first;
    first.meta = all.meta;
    first.keys = all.keys;
    first.settings = all.settings;
    first.list_entries = all.list_entries;
    first.actions = all.actions;
    first.decisions = all.decisions;
    REQUIRE(copy->ImportInstallRows(first).ok());
    InstallRows second;
    second.feedback = all.feedback;
    second.webhook_events = all.webhook_events;
    second.published_models = all.published_models;
    second.deleted_counts = all.deleted_counts;
    second.list_revision = source->ListEntriesRevision().value();
    REQUIRE(copy->ImportInstallRows(second).ok());
    testing::CheckSameInstallation(testing::DescribeInstallation(*source),
                                   testing::DescribeInstallation(*copy));
    // Reads that join tables see the same: d3's label came from a revoked action.
    CHECK_FALSE(copy->GetDecision("d3").value()->feedback_label.has_value());
    CHECK(copy->GetDecision("d4").value()->feedback_label == "spam");

    // New rows get ids past the imported ones.
    auto key = copy->AddKey(KeyRole::kSite, "https://new.example/", "hash-new", "1234", 1);
    REQUIRE(key);
    CHECK(key->id == all.keys.back().id + 1);
    FeedbackRecord f;
    f.decision_id = "d5";
    f.label = "spam";
    f.source = "cli";
    auto fid = copy->AppendFeedback(f);
    REQUIRE(fid);
    CHECK(*fid == all.feedback.back().id + 1);
    WebhookEvent fresh = all.webhook_events.front();
    fresh.event_id = "e-new";
    fresh.decision_id = "";
    fresh.feedback_id = 0;
    fresh.type = "ping";
    auto pid = copy->AppendWebhookEvent(fresh);
    REQUIRE(pid);
    CHECK(*pid == all.webhook_events.back().id + 1);
    auto ping = copy->AppendWebhookEvent(all.webhook_events.front());
    CHECK_FALSE(ping);  // its event_id exists already
    auto action =
        copy->AppendModeratorAction({0, "dave", "spam", "mark", "d5", 2, 0, {}, ""}, {f}, {});
    REQUIRE(action);
    CHECK(action->id == all.actions.back().id + 1);
    auto entries = copy->AddListEntries({{0, "", "block", "ip", "192.0.2.1", "", "", 3}});
    REQUIRE(entries);
    CHECK(entries->front() == all.list_entries.back().id + 1);
    // The registry: the imported newest model is in force, bytes and all, and a new one
    // publishes past it.
    auto in_force = copy->ListPublishedModels(1);
    REQUIRE(in_force);
    REQUIRE(in_force->size() == 1);
    CHECK(in_force->front().id == all.published_models.back().id);
    auto bytes = copy->GetPublishedModel(in_force->front().id);
    REQUIRE(bytes);
    REQUIRE(bytes->has_value());
    CHECK((*bytes)->model == all.published_models.back().model);
    PublishedModel next = all.published_models.back();
    next.version = "hamlet-test@next";
    auto mid = copy->PublishModel(next);
    REQUIRE(mid);
    CHECK(*mid == all.published_models.back().id + 1);
  }

  TEST_CASE_TEMPLATE("an import with a row at fault writes nothing and names the row", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(source, Backend);
    testing::PopulateInstallation(*source);
    HAMLET_OPEN_TEST_STORE(copy, Backend);
    InstallRows all = testing::ExportAllRows(*source, 1000);
    InstallRows keys;
    keys.keys = all.keys;
    REQUIRE(copy->ImportInstallRows(keys).ok());
    // The decisions, then feedback on a decision that is not there: all refused.
    InstallRows rest;
    rest.actions = all.actions;
    rest.decisions = all.decisions;
    rest.feedback = all.feedback;
    rest.feedback.back().decision_id = "missing";
    const core::Status refused = copy->ImportInstallRows(rest);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.code() == core::StatusCode::kInvalidArgument);
    CHECK(refused.message().find("feedback " + std::to_string(rest.feedback.back().id)) !=
          std::string::npos);
    CHECK(Count(*copy, InstallTable::kDecisions) == 0);
    CHECK(Count(*copy, InstallTable::kFeedback) == 0);
    CHECK(Count(*copy, InstallTable::kModeratorActions) == 0);
    // The same keys again: their ids exist.
    const core::Status twice = copy->ImportInstallRows(keys);
    CHECK(twice.code() == core::StatusCode::kInvalidArgument);
    CHECK(Count(*copy, InstallTable::kSiteKeys) == 3);
  }
}

}  // namespace hamlet::store
