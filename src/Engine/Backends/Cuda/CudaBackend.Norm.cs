using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>kernels/norm.cu's Deviations: two doubles per output and split.</summary>
    private const int DeviationBytes = 16;

    /// <summary>Rows at least this long take multiply_add_rows (a row group per row); shorter ones the strided kernel.</summary>
    private const int MinMultiplyAddRow = 32;

    /// <summary>
    /// Mean and variance over the dimensions where mean and variance have size 1 (and x does not), in one pass over x:
    /// kernels/norm.cu, split like <see cref="Reduction"/> into a row group or a thread per output, across blocks when the
    /// outputs are few, the partial sums then added in split order.
    /// </summary>
    public void Moments(BufferView x, BufferView mean, BufferView variance, int correction)
    {
        if (!mean.IsContiguous || !variance.IsContiguous)
            throw new ArgumentException($"Moments: the mean and variance on {Device} must be contiguous");
        long outputs = mean.Count;
        if (outputs == 0) return;
        var reduced = new bool[x.Rank];
        for (int d = 0; d < x.Rank; d++) reduced[d] = mean.Shape[d] == 1 && x.Shape[d] != 1;
        var keptShape = x.Shape.Where((_, d) => !reduced[d]).ToArray();
        var reducedShape = x.Shape.Where((_, d) => reduced[d]).ToArray();
        var keptStrides = x.Strides.Where((_, d) => !reduced[d]).ToArray();
        var reducedStrides = x.Strides.Where((_, d) => reduced[d]).ToArray();
        long length = Shapes.NumElements(reducedShape);
        bool rows = length > 1 && SmallestStride(reducedShape, reducedStrides) <= SmallestStride(keptShape, keptStrides);
        var (shape, splits, chunk) = rows ? launch.RowReduction(outputs, length, DeviationBytes) : launch.ColumnReduction(outputs, length);
        var kept = KernelLayout.Of(keptShape, [keptStrides]);
        ulong partials = splits > 1 ? allocator.Allocate(splits * outputs * DeviationBytes) : 0;
        try
        {
            string dtype = KernelNames.Suffix(x.DType);
            var arguments = new KernelArguments();
            arguments.Add(outputs);
            arguments.Add(length);
            arguments.Add(chunk);
            arguments.Add(kept);
            arguments.Add(KernelLayout.Of(reducedShape, [reducedStrides]));
            arguments.Add(Address(x));
            arguments.Add(correction);
            arguments.Add(Address(mean));
            arguments.Add(Address(variance));
            arguments.Add(partials);
            Launch(KernelNames.Norm, $"moments_{(rows ? "rows" : "columns")}_{dtype}", shape, arguments);
            if (splits == 1) return;
            var merge = new KernelArguments();
            merge.Add(outputs);
            merge.Add(length);
            merge.Add(splits);
            merge.Add(kept);
            merge.Add(Address(x));
            merge.Add(correction);
            merge.Add(partials);
            merge.Add(Address(mean));
            merge.Add(Address(variance));
            Launch(KernelNames.Norm, $"moments_merge_{dtype}", launch.Elementwise(outputs), merge);
        }
        finally
        {
            if (partials != 0) allocator.Free(partials);
        }
    }

    /// <summary>
    /// y = x * scale + shift (all broadcast to y's shape) in one pass. When x and y are contiguous and scale and shift are
    /// constant along the trailing dimensions (a channel's pixels, a normalised row), each row of those dimensions reads
    /// its scale and shift once; otherwise one strided kernel walks all four operands.
    /// </summary>
    public void MultiplyAdd(BufferView x, BufferView scale, BufferView shift, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        string dtype = KernelNames.Suffix(y.DType);
        int split = RowStart(y.Shape, scale.Strides, shift.Strides);
        long length = Shapes.NumElements(y.Shape[split..]);
        var arguments = new KernelArguments();
        if (x.IsContiguous && y.IsContiguous && length >= MinMultiplyAddRow)
        {
            long rows = n / length;
            arguments.Add(rows);
            arguments.Add(length);
            arguments.Add(KernelLayout.Of(y.Shape[..split], [scale.Strides[..split], shift.Strides[..split]]));
            arguments.Add(Address(x));
            arguments.Add(Address(scale));
            arguments.Add(Address(shift));
            arguments.Add(Address(y));
            Launch(KernelNames.Norm, $"multiply_add_rows_{dtype}", launch.Rows(rows, length), arguments);
            return;
        }
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, x, scale, shift, y));
        arguments.Add(Address(x));
        arguments.Add(Address(scale));
        arguments.Add(Address(shift));
        arguments.Add(Address(y));
        Launch(KernelNames.Norm, $"multiply_add_{dtype}", launch.Elementwise(n), arguments);
    }

    /// <summary>The first of the trailing dimensions along which both operands are constant (stride 0 or size 1).</summary>
    private static int RowStart(int[] shape, long[] first, long[] second)
    {
        int d = shape.Length;
        while (d > 0 && (shape[d - 1] == 1 || first[d - 1] == 0 && second[d - 1] == 0)) d--;
        return d;
    }
}
