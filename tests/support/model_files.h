// Model files for reload tests: put a model (and its sidecar) at a path the way `hamlet
// retrain` does (write beside, then rename over), or spoil the file at that path.
#pragma once

#include <string>

namespace hamlet::testing {

// Copies `source` (a .ftz/.bin) to `target` atomically, and the sidecar `source`.json to
// `target`.json when there is one (else removes `target`.json). Fails the test on error.
void InstallModelForTesting(const std::string& source, const std::string& target);

// Replaces `target` atomically by bytes that are not a fastText model.
void CorruptModelForTesting(const std::string& target);

// The shipped model (models/hamlet-default.ftz in the source tree).
std::string ShippedModelPath();

}  // namespace hamlet::testing
