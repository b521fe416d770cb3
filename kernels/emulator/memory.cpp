// Device memory: host memory from aligned_alloc, counted against the device's capacity and poisoned
// (every byte 0xFF: NaN for floats, -1 for integers) so that a kernel reading what nothing wrote shows it.
#include "emulator_api.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iterator>
#include <map>
#include <mutex>
#include <string>

namespace
{
const unsigned long long Alignment = 256;

struct Device
{
    std::mutex lock;
    unsigned long long capacity = 0, used = 0;
    std::map<unsigned long long, unsigned long long> blocks;  // address -> bytes

    // True when [address, address + bytes) lies inside one live allocation.
    bool holds(unsigned long long address, unsigned long long bytes)
    {
        std::lock_guard<std::mutex> hold(lock);
        auto after = blocks.upper_bound(address);
        if (after == blocks.begin()) return false;
        auto block = std::prev(after);
        return address + bytes <= block->first + block->second;
    }
};

std::string hex(unsigned long long value)
{
    char text[32];
    snprintf(text, sizeof text, "0x%llx", value);
    return text;
}

int outside(const char* call, unsigned long long address, unsigned long long bytes)
{
    return emu::fail(EMU_ERROR_INVALID_VALUE, std::string(call) + ": device range [" + hex(address) + ", " + hex(address + bytes) +
                                                  ") is not inside one live allocation");
}
} // namespace

EMU_API int emu_device_create(unsigned long long capacity, void** device)
{
    auto* created = new Device();
    created->capacity = capacity;
    *device = created;
    return EMU_SUCCESS;
}

EMU_API int emu_device_destroy(void* device)
{
    auto* owned = static_cast<Device*>(device);
    for (auto& block : owned->blocks) free(reinterpret_cast<void*>(block.first));
    delete owned;
    return EMU_SUCCESS;
}

EMU_API int emu_mem_alloc(void* device, unsigned long long bytes, unsigned long long* pointer)
{
    auto& owner = *static_cast<Device*>(device);
    unsigned long long rounded = (bytes + Alignment - 1) / Alignment * Alignment;
    if (rounded == 0) return emu::fail(EMU_ERROR_INVALID_VALUE, "emu_mem_alloc: zero bytes requested");
    {
        std::lock_guard<std::mutex> hold(owner.lock);
        if (owner.used + rounded > owner.capacity)
            return emu::fail(EMU_ERROR_OUT_OF_MEMORY, "emu_mem_alloc: " + std::to_string(bytes) + " bytes requested, " +
                                                          std::to_string(owner.capacity - owner.used) + " of " +
                                                          std::to_string(owner.capacity) + " free");
        owner.used += rounded;
    }
    void* memory = aligned_alloc(Alignment, rounded);
    if (memory == nullptr)
    {
        std::lock_guard<std::mutex> hold(owner.lock);
        owner.used -= rounded;
        return emu::fail(EMU_ERROR_OUT_OF_MEMORY, "emu_mem_alloc: the host has no " + std::to_string(rounded) + " bytes left");
    }
    memset(memory, 0xFF, rounded);
    unsigned long long address = reinterpret_cast<unsigned long long>(memory);
    {
        std::lock_guard<std::mutex> hold(owner.lock);
        owner.blocks[address] = rounded;
    }
    *pointer = address;
    return EMU_SUCCESS;
}

EMU_API int emu_mem_free(void* device, unsigned long long pointer)
{
    auto& owner = *static_cast<Device*>(device);
    {
        std::lock_guard<std::mutex> hold(owner.lock);
        auto block = owner.blocks.find(pointer);
        if (block == owner.blocks.end())
            return emu::fail(EMU_ERROR_INVALID_VALUE, "emu_mem_free: " + hex(pointer) + " is not the start of a live allocation");
        owner.used -= block->second;
        owner.blocks.erase(block);
    }
    free(reinterpret_cast<void*>(pointer));
    return EMU_SUCCESS;
}

EMU_API int emu_mem_info(void* device, unsigned long long* free_bytes, unsigned long long* total)
{
    auto& owner = *static_cast<Device*>(device);
    std::lock_guard<std::mutex> hold(owner.lock);
    *free_bytes = owner.capacity - owner.used;
    *total = owner.capacity;
    return EMU_SUCCESS;
}

EMU_API int emu_memcpy_htod(void* device, unsigned long long destination, const void* source, unsigned long long bytes)
{
    if (!static_cast<Device*>(device)->holds(destination, bytes)) return outside("emu_memcpy_htod", destination, bytes);
    memcpy(reinterpret_cast<void*>(destination), source, bytes);
    return EMU_SUCCESS;
}

EMU_API int emu_memcpy_dtoh(void* device, void* destination, unsigned long long source, unsigned long long bytes)
{
    if (!static_cast<Device*>(device)->holds(source, bytes)) return outside("emu_memcpy_dtoh", source, bytes);
    memcpy(destination, reinterpret_cast<const void*>(source), bytes);
    return EMU_SUCCESS;
}

EMU_API int emu_memcpy_dtod(void* device, unsigned long long destination, unsigned long long source, unsigned long long bytes)
{
    auto* owner = static_cast<Device*>(device);
    if (!owner->holds(source, bytes)) return outside("emu_memcpy_dtod", source, bytes);
    if (!owner->holds(destination, bytes)) return outside("emu_memcpy_dtod", destination, bytes);
    memmove(reinterpret_cast<void*>(destination), reinterpret_cast<const void*>(source), bytes);
    return EMU_SUCCESS;
}

EMU_API int emu_memset_d8(void* device, unsigned long long destination, unsigned char value, unsigned long long count)
{
    if (!static_cast<Device*>(device)->holds(destination, count)) return outside("emu_memset_d8", destination, count);
    memset(reinterpret_cast<void*>(destination), value, count);
    return EMU_SUCCESS;
}

EMU_API int emu_memset_d32(void* device, unsigned long long destination, unsigned int value, unsigned long long count)
{
    if (!static_cast<Device*>(device)->holds(destination, count * 4)) return outside("emu_memset_d32", destination, count * 4);
    auto* words = reinterpret_cast<unsigned int*>(destination);
    for (unsigned long long i = 0; i < count; ++i) words[i] = value;
    return EMU_SUCCESS;
}
