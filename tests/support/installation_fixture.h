// A populated installation for the `hamlet migrate` tests: a few rows in every table a store
// holds (salts, keys revoked or not, settings, lists, decisions with memory traces, rechecks and
// purged ones, site feedback, a moderator action and its undo, webhook events pending, delivered
// and failed), and every row of a store as text, each column named, to compare two stores field
// by field.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace hamlet::testing {

// Fills an empty store. Fails the test (REQUIRE) when a write is refused.
void PopulateInstallation(store::Store& store);

// Every row of `store`, read through ExportInstallRows in pages of `limit` (each CHECKed to
// hold at most `limit` rows).
store::InstallRows ExportAllRows(store::Store& store, int limit);

// One line per row ("decision d1: key_id=1 site_url=... "), tables in kInstallTables order,
// read with ExportAllRows in pages of 2; then "list_revision N".
std::vector<std::string> DescribeInstallation(store::Store& store);

// CHECKs that both descriptions hold the same lines (each mismatch reported on its own).
void CheckSameInstallation(const std::vector<std::string>& expected,
                           const std::vector<std::string>& actual);

}  // namespace hamlet::testing
