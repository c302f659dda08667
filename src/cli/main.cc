// hamlet: the moderators' and operators' command line.
#include <iostream>

#include "cli/command.h"

int main(int argc, char** argv) { return hamlet::cli::RunCliOnProcessStreams(argc, argv); }
