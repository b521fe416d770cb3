using System.Runtime.InteropServices;
using Engine.Backends.Cpu;

namespace Engine.Backends.Cuda;

/// <summary>
/// The <c>Layout</c> parameter of the kernels (kernels/common.cuh, the same 296 bytes): the dimensions of the
/// elements a kernel walks and each operand's element strides along them, after merging dimensions that every
/// operand walks contiguously. Rank 0 tells the kernel that every operand is contiguous, so it takes its
/// vectorised fast path.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelLayout
{
    public const int MaxRank = 8;
    public const int MaxOperands = 4;

    public int Rank;
    public fixed int Dims[MaxRank];
    public fixed long Strides[MaxOperands * MaxRank];

    /// <summary>The layout of same-shaped operands (views of <paramref name="shape"/>).</summary>
    public static KernelLayout Of(int[] shape, params ReadOnlySpan<BufferView> operands)
    {
        var strides = new long[operands.Length][];
        for (int k = 0; k < operands.Length; k++) strides[k] = operands[k].Strides;
        return Of(shape, strides);
    }

    /// <summary>The layout of <paramref name="shape"/> walked with each operand's <paramref name="strides"/>.</summary>
    public static KernelLayout Of(int[] shape, long[][] strides)
    {
        if (strides.Length > MaxOperands) throw new ArgumentException($"KernelLayout: {strides.Length} operands; kernels take at most {MaxOperands}");
        var (dims, merged) = StridedLoop.Coalesce(shape, strides);
        var layout = new KernelLayout();
        bool contiguous = dims.Length == 0 || dims.Length == 1 && merged.All(s => s[0] == 1);
        if (contiguous) return layout;
        if (dims.Length > MaxRank)
            throw new NotSupportedException(
                $"CUDA kernels take at most {MaxRank} strided dimensions; shape {Shapes.Format(shape)} with strides " +
                $"{string.Join(" / ", strides.Select(s => "[" + string.Join(", ", s) + "]"))} has {dims.Length} after merging; make the operands contiguous first");
        layout.Rank = dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            if (dims[d] > int.MaxValue)
                throw new NotSupportedException($"CUDA kernels index dimensions of at most {int.MaxValue} elements; shape {Shapes.Format(shape)} merges into one of {dims[d]}");
            layout.Dims[d] = (int)dims[d];
            for (int k = 0; k < merged.Length; k++) layout.Strides[k * MaxRank + d] = merged[k][d];
        }
        return layout;
    }
}
