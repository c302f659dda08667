// Runs the hamlet CLI in-process (cli::RunCli) and captures what it prints, for CLI tests
// against a real database.
#pragma once

#include <string>
#include <vector>

namespace hamlet::testing {

struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
};

// `args` are everything after the program name, e.g. {"--db", db, "keys", "list"}; the
// command reads `stdin_text` as its standard input.
CliRun RunHamletCli(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace hamlet::testing
