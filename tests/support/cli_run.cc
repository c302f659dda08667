#include "support/cli_run.h"

#include <sstream>

#include "cli/command.h"

namespace hamlet::testing {

CliRun RunHamletCli(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<const char*> argv = {"hamlet"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  const int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), in, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace hamlet::testing
