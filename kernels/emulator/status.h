// The message behind a failed emulator call, per OS thread.
#pragma once

#include <string>

namespace emu
{
// Records `message` for emu_last_error() and returns `status`.
int fail(int status, std::string message);
} // namespace emu
