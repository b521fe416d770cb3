#include "fibre.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <new>

// The switch saves the callee-saved registers on the old stack, swaps stack pointers and restores them
// from the new stack: a few nanoseconds, where swapcontext would also make a signal-mask system call.
#if defined(__x86_64__)
asm(R"(
    .text
    .globl emu_switch_context
    .hidden emu_switch_context
    .type emu_switch_context, @function
emu_switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch_context, .-emu_switch_context
    .section .note.GNU-stack,"",@progbits
)");
// Callee-saved registers pushed by the switch, then the return address it jumps to.
static const size_t SavedWords = 6;
#else
#error "the CUDA emulator's fibre switch is written for x86-64 only"
#endif

namespace emu
{
StackPool::StackPool(size_t count, size_t bytes) : count_(count)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stride_ = bytes + page;
    void* memory = mmap(nullptr, count * stride_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    base_ = static_cast<char*>(memory);
    for (size_t i = 0; i < count; ++i) mprotect(base_ + i * stride_, page, PROT_NONE);
}

StackPool::~StackPool() { munmap(base_, count_ * stride_); }

void* StackPool::prepare(size_t index, void (*entry)()) const
{
    char* top = base_ + index * stride_ + stride_;
    uintptr_t aligned = reinterpret_cast<uintptr_t>(top) & ~static_cast<uintptr_t>(15);
    // After the switch pops six registers and returns into entry, rsp must be 8 modulo 16 as at any call.
    void** frame = reinterpret_cast<void**>(aligned) - (SavedWords + 2);
    for (size_t i = 0; i < SavedWords; ++i) frame[i] = nullptr;
    frame[SavedWords] = reinterpret_cast<void*>(entry);
    frame[SavedWords + 1] = nullptr;
    return frame;
}
} // namespace emu
