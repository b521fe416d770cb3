// Fibres: one stack per CUDA thread of a block, switched cooperatively.
#pragma once

#include <stddef.h>

namespace emu
{
// Saves the running context's stack pointer into *save and resumes the context saved in `resume`.
extern "C" void emu_switch_context(void** save, void* resume);

// Stacks for up to `count` fibres, each with a guard page below it; allocated once, reused by every block.
class StackPool
{
public:
    StackPool(size_t count, size_t bytes);
    ~StackPool();
    StackPool(const StackPool&) = delete;
    StackPool& operator=(const StackPool&) = delete;

    // A fresh context on stack `index` that calls entry() when first resumed; entry must never return.
    void* prepare(size_t index, void (*entry)()) const;

    size_t count() const { return count_; }

private:
    char* base_;
    size_t count_, stride_;
};
} // namespace emu
