using System.Numerics;
using Engine.Random;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Dropout(BufferView x, BufferView y, double p, ulong seed, ulong offset)
    {
        if (y.DType == DType.F32) DropoutOf<float>(x, y, p, seed, offset);
        else DropoutOf<double>(x, y, p, seed, offset);
    }

    /// <summary>Keeps element i where the uniform value <see cref="Random"/> would draw for it is at least p; blocks of four per Philox counter.</summary>
    private void DropoutOf<T>(BufferView x, BufferView y, double p, ulong seed, ulong offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireContiguous("Dropout", y);
        using var input = new ContiguousInput<T>(this, x);
        T* source = input.Pointer, target = Address<T>(y, y.Offset);
        long count = y.Count, blocks = (count + 3) / 4;
        T scale = p >= 1 ? T.Zero : T.CreateTruncating(1 / (1 - p));
        int workers = count >= StridedLoop.ParallelThreshold ? Environment.ProcessorCount : 1;
        StridedLoop.Parallelize(workers, w =>
        {
            Span<double> uniform = stackalloc double[4];
            for (long block = blocks * w / workers; block < blocks * (w + 1) / workers; block++)
            {
                UniformBlock(y.DType, seed, offset + (ulong)block, uniform);
                long start = block * 4;
                for (int i = 0; i < 4 && start + i < count; i++)
                    target[start + i] = uniform[i] >= p ? source[start + i] * scale : T.Zero;
            }
        });
    }
}
