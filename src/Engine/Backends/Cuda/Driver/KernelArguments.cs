using System.Runtime.CompilerServices;

namespace Engine.Backends.Cuda.Driver;

/// <summary>
/// A kernel's parameters packed by value into one buffer, without boxing: <see cref="Add{T}"/> appends each
/// parameter in the kernel's order, 8-byte aligned. A launch passes the driver one pointer per parameter (and
/// the emulator each parameter's size, which it checks against the kernel's signature). Lives on the stack.
/// </summary>
internal unsafe struct KernelArguments
{
    public const int MaxParameters = 32;
    private const int Capacity = 2048;

    private fixed byte storage[Capacity];
    private fixed int offsets[MaxParameters];
    private fixed uint sizes[MaxParameters];
    private int used;

    public int Count { get; private set; }

    public void Add<T>(T value) where T : unmanaged
    {
        int offset = (used + 7) & ~7;
        if (Count == MaxParameters || offset + sizeof(T) > Capacity)
            throw new InvalidOperationException($"KernelArguments: more than {MaxParameters} parameters or {Capacity} bytes");
        fixed (byte* buffer = storage) Unsafe.WriteUnaligned(buffer + offset, value);
        offsets[Count] = offset;
        sizes[Count] = (uint)sizeof(T);
        used = offset + sizeof(T);
        Count++;
    }

    /// <summary>Writes the address of each parameter (inside <paramref name="self"/>, which must not move) and its size.</summary>
    public static void Describe(KernelArguments* self, void** pointers, uint* parameterSizes)
    {
        for (int i = 0; i < self->Count; i++)
        {
            pointers[i] = self->storage + self->offsets[i];
            parameterSizes[i] = self->sizes[i];
        }
    }
}
