// Helpers for the store health tests of both backends: waiting for CheckWritable to recover.
#pragma once

#include "core/status.h"
#include "store/store.h"

namespace hamlet::testing {

// Calls CheckWritable until it is ok (it probes at most once a second) or 5 s have passed;
// returns its last answer.
core::Status WaitUntilWritable(store::Store& store);

}  // namespace hamlet::testing
