using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>Elements of y per block: the block and one block of every term stay in L1 while the terms are added.</summary>
    private const int CombinationBlock = 4096;

    /// <summary>Largest number of terms the fused contiguous path takes (a Runge-Kutta stage has at most 12).</summary>
    private const int MaxFusedTerms = 16;

    public void LinearCombination(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
    {
        if (y.DType == DType.F32) LinearCombinationOf<float>(x0, coefficients, xs, y);
        else LinearCombinationOf<double>(x0, coefficients, xs, y);
    }

    private static void LinearCombinationOf<T>(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool contiguous = x0.IsContiguous && y.IsContiguous && xs.Length <= MaxFusedTerms;
        foreach (var x in xs) contiguous &= x.IsContiguous;
        if (!contiguous)
        {
            CopySame<T>(x0, y);
            for (int i = 0; i < xs.Length; i++) AccumulateScaled(xs[i], T.CreateTruncating(coefficients[i]), y);
            return;
        }
        var job = new CombinationJob<T>(x0, coefficients, xs, y);
        WorkerPool.Run(ref job, job.Parts);
    }

    /// <summary>One pass: each block of y stays in L1 while every term is added to it.</summary>
    private unsafe struct CombinationJob<T> : IParallelJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        private fixed long terms[MaxFusedTerms];
        private fixed double scales[MaxFusedTerms];
        private readonly int termCount;
        private readonly T* x0, y;
        private readonly long count, blocksPerPart;

        public CombinationJob(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
        {
            this.x0 = Address<T>(x0, x0.Offset);
            this.y = Address<T>(y, y.Offset);
            termCount = xs.Length;
            for (int i = 0; i < termCount; i++)
            {
                terms[i] = (long)Address<T>(xs[i], xs[i].Offset);
                scales[i] = coefficients[i];
            }
            count = y.Count;
            long blocks = (count + CombinationBlock - 1) / CombinationBlock;
            int parts = ParallelPolicy.Parts(count, 1 + termCount);
            blocksPerPart = Math.Max(1, (blocks + parts - 1) / parts);
            Parts = (int)((blocks + blocksPerPart - 1) / blocksPerPart);
        }

        public int Parts { get; }

        public void Execute(int part)
        {
            long last = Math.Min(count, (part + 1) * blocksPerPart * CombinationBlock);
            for (long start = part * blocksPerPart * CombinationBlock; start < last; start += CombinationBlock)
            {
                int n = (int)Math.Min(CombinationBlock, last - start);
                var target = new Span<T>(y + start, n);
                new ReadOnlySpan<T>(x0 + start, n).CopyTo(target);
                for (int i = 0; i < termCount; i++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>((T*)terms[i] + start, n), T.CreateTruncating(scales[i]), target, target);
            }
        }
    }

    private static void AccumulateScaled<T>(BufferView x, T c, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] += c * px[o[0] + i * s[0]];
        });
    }
}
