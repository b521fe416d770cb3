#include "status.h"

#include "emulator_api.h"

namespace
{
thread_local std::string last_error;
}

int emu::fail(int status, std::string message)
{
    last_error = std::move(message);
    return status;
}

EMU_API const char* emu_last_error() { return last_error.c_str(); }
