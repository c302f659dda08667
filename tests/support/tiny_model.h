// TinyModel: a real fastText model trained once per test process from a few generated lines,
// for tests that need the real classifier but must not depend on models/.
#pragma once

#include <string>

namespace hamlet::testing {

// Path of the model (trained on first call; aborts the test run if training fails).
// "cheap pills casino viagra bitcoin" style texts are spam, ordinary remarks are ham.
const std::string& TinyModelPath();

}  // namespace hamlet::testing
