// Kernel registry, launch checks and the block scheduler: one fibre per thread, round-robin, each thread
// runs until it reaches a barrier (__syncthreads, or a warp operation) that is not yet complete.
#include "cuda_emulator.h"
#include "emulator_api.h"
#include "fibre.h"
#include "status.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace emu
{
Thread* current_thread;
uint3 block_index;
dim3 block_dim;
dim3 grid_dim;

namespace
{
const unsigned MaxThreads = 1024;
const unsigned MaxSharedBytes = 48 * 1024;
const size_t StackBytes = 64 * 1024;

enum Waiting
{
    Runnable = 0,
    AtBlockBarrier = 1,
    AtWarpBarrier = 2,
};

struct Kernel
{
    std::string name;
    Invoker invoke;
    Signature signature;
};

std::map<std::string, Kernel>& registry()
{
    static std::map<std::string, Kernel> kernels;
    return kernels;
}

// Threads that reach it wait until every live (not yet finished) thread of its group has.
struct Barrier
{
    unsigned arrived, live, generation;

    // True when the arrival completed the barrier (the generation moved on).
    bool arrive()
    {
        if (++arrived < live) return false;
        arrived = 0;
        ++generation;
        return true;
    }

    void leave()
    {
        --live;
        if (arrived != 0 && arrived == live)
        {
            arrived = 0;
            ++generation;
        }
    }
};

struct Block
{
    Thread threads[MaxThreads];
    Barrier barrier;
    Barrier warps[MaxThreads / 32];
    unsigned long long slots[MaxThreads];
    unsigned count;
    void* scheduler;
    const Kernel* kernel;
    void* const* arguments;
    std::vector<unsigned char> shared;
};

std::mutex launch_lock;
Block block;
std::unique_ptr<StackPool> stacks;

void wait(Barrier& barrier, int kind)
{
    Thread* thread = current_thread;
    unsigned generation = barrier.generation;
    if (barrier.arrive()) return;
    thread->waiting = kind;
    thread->wait_generation = generation;
    emu_switch_context(&thread->stack_pointer, block.scheduler);
}

void thread_main()
{
    block.kernel->invoke(block.arguments);
    Thread* thread = current_thread;
    thread->done = true;
    block.barrier.leave();
    block.warps[thread->linear / 32].leave();
    emu_switch_context(&thread->stack_pointer, block.scheduler);
}

bool blocked(const Thread& thread)
{
    switch (thread.waiting)
    {
    case AtBlockBarrier: return thread.wait_generation == block.barrier.generation;
    case AtWarpBarrier: return thread.wait_generation == block.warps[thread.linear / 32].generation;
    default: return false;
    }
}

// Runs every thread of the current block to completion; false (with the message recorded) on a deadlock.
bool run_block()
{
    unsigned count = block.count;
    block.barrier = {0, count, 0};
    for (unsigned w = 0; w * 32 < count; ++w)
        block.warps[w] = {0, count - w * 32 < 32 ? count - w * 32 : 32, 0};
    for (unsigned i = 0; i < count; ++i)
    {
        Thread& thread = block.threads[i];
        thread.index = {i % block_dim.x, i / block_dim.x % block_dim.y, i / (block_dim.x * block_dim.y)};
        thread.linear = i;
        thread.waiting = Runnable;
        thread.done = false;
        thread.stack_pointer = stacks->prepare(i, thread_main);
    }
    if (!block.shared.empty()) memset(block.shared.data(), 0xFF, block.shared.size());

    unsigned remaining = count;
    while (remaining > 0)
    {
        bool ran = false;
        for (unsigned i = 0; i < count; ++i)
        {
            Thread& thread = block.threads[i];
            if (thread.done || blocked(thread)) continue;
            thread.waiting = Runnable;
            current_thread = &thread;
            emu_switch_context(&block.scheduler, thread.stack_pointer);
            ran = true;
            if (thread.done) --remaining;
        }
        if (!ran)
        {
            unsigned at_block = 0, at_warp = 0;
            for (unsigned i = 0; i < count; ++i)
            {
                const Thread& thread = block.threads[i];
                if (thread.done) continue;
                (thread.waiting == AtBlockBarrier ? at_block : at_warp)++;
            }
            fail(EMU_ERROR_LAUNCH_FAILED,
                 "kernel " + block.kernel->name + ", block (" + std::to_string(block_index.x) + ", " + std::to_string(block_index.y) + ", " +
                     std::to_string(block_index.z) + "): deadlock: " + std::to_string(at_block) + " threads wait at __syncthreads and " +
                     std::to_string(at_warp) + " at warp operations whose other threads finished or wait elsewhere (a barrier in divergent code)");
            return false;
        }
    }
    return true;
}

std::string format_dims(unsigned x, unsigned y, unsigned z)
{
    return "(" + std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + ")";
}

std::string format_sizes(const unsigned* sizes, int count)
{
    std::string text;
    for (int i = 0; i < count; ++i) text += (i > 0 ? ", " : "") + std::to_string(sizes[i]);
    return "[" + text + "]";
}

int check_launch(const Kernel& kernel, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                 unsigned shared_bytes, const unsigned* sizes, int count)
{
    std::string where = "kernel " + kernel.name + ", grid " + format_dims(gx, gy, gz) + ", block " + format_dims(bx, by, bz) + ": ";
    unsigned long long threads = (unsigned long long)bx * by * bz;
    if (bx == 0 || by == 0 || bz == 0 || gx == 0 || gy == 0 || gz == 0)
        return fail(EMU_ERROR_INVALID_VALUE, where + "every grid and block dimension must be at least 1");
    if (threads > MaxThreads || bx > 1024 || by > 1024 || bz > 64)
        return fail(EMU_ERROR_INVALID_VALUE, where + std::to_string(threads) + " threads per block; the limits are 1024 threads and (1024, 1024, 64)");
    if (gx > 0x7FFFFFFFu || gy > 65535 || gz > 65535)
        return fail(EMU_ERROR_INVALID_VALUE, where + "the grid limits are (2^31 - 1, 65535, 65535)");
    if (shared_bytes > MaxSharedBytes)
        return fail(EMU_ERROR_INVALID_VALUE, where + std::to_string(shared_bytes) + " bytes of dynamic shared memory; the limit is 49152");
    const Signature& signature = kernel.signature;
    bool same = count == signature.count;
    for (int i = 0; same && i < count; ++i) same = sizes[i] == signature.sizes[i];
    if (!same)
        return fail(EMU_ERROR_INVALID_VALUE, where + "the launch passes parameters of " + format_sizes(sizes, count) +
                                                  " bytes, the kernel takes " + format_sizes(signature.sizes, signature.count));
    return EMU_SUCCESS;
}
} // namespace

Registration::Registration(const char* name, Invoker invoke, Signature signature)
{
    registry()[name] = Kernel{name, invoke, signature};
}

void sync_block() { wait(block.barrier, AtBlockBarrier); }

void sync_warp() { wait(block.warps[current_thread->linear / 32], AtWarpBarrier); }

void* dynamic_shared() { return block.shared.data(); }

unsigned long long exchange(unsigned long long value, int source)
{
    unsigned self = current_thread->linear, first = self & ~31u, from = first + (unsigned)source;
    block.slots[self] = value;
    sync_warp();
    unsigned long long result = from < block.count && !block.threads[from].done ? block.slots[from] : value;
    // The second barrier keeps a fast lane from overwriting its slot before its neighbours have read it.
    sync_warp();
    return result;
}
} // namespace emu

EMU_API int emu_get_function(const char* name, const void** function)
{
    auto& kernels = emu::registry();
    auto found = kernels.find(name);
    if (found == kernels.end())
        return emu::fail(EMU_ERROR_NOT_FOUND, std::string("no kernel named ") + name + " in kernels/*.cu");
    *function = &found->second;
    return EMU_SUCCESS;
}

EMU_API int emu_launch(const void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                       unsigned shared_bytes, void** arguments, const unsigned* sizes, int count)
{
    using namespace emu;
    const Kernel& kernel = *static_cast<const Kernel*>(function);
    int status = check_launch(kernel, gx, gy, gz, bx, by, bz, shared_bytes, sizes, count);
    if (status != EMU_SUCCESS) return status;

    std::lock_guard<std::mutex> hold(launch_lock);
    if (!stacks) stacks = std::make_unique<StackPool>(MaxThreads, StackBytes);
    block.kernel = &kernel;
    block.arguments = arguments;
    block.count = bx * by * bz;
    block.shared.resize(shared_bytes);
    block_dim = {bx, by, bz};
    grid_dim = {gx, gy, gz};
    for (unsigned z = 0; z < gz; ++z)
        for (unsigned y = 0; y < gy; ++y)
            for (unsigned x = 0; x < gx; ++x)
            {
                block_index = {x, y, z};
                if (!run_block()) return EMU_ERROR_LAUNCH_FAILED;
            }
    return EMU_SUCCESS;
}
