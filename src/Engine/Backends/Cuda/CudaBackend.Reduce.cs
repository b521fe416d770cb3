using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Reduce(ReduceOp op, BufferView x, BufferView y)
    {
        var reduced = new bool[x.Rank];
        for (int d = 0; d < x.Rank; d++) reduced[d] = y.Shape[d] == 1 && x.Shape[d] != 1;
        int accumulator = op == ReduceOp.Sum && x.DType == DType.F32 ? sizeof(double) : x.DType.ElementSize();
        Reduction(KernelNames.Of(op), x, reduced, y, accumulator);
    }

    public void ArgReduce(ArgReduceOp op, BufferView x, int axis, BufferView y)
    {
        var reduced = new bool[x.Rank];
        reduced[axis] = x.Shape[axis] != 1;
        // kernels/reduce.cu's Indexed<T>: the value and an I64 index, 16 bytes for every dtype.
        Reduction(KernelNames.Of(op), x, reduced, y, accumulatorBytes: 16);
    }

    /// <summary>
    /// Folds the <paramref name="reduced"/> dimensions of x into the contiguous y (one element per combination of
    /// the kept dimensions, in row-major order). A row group per output when x is contiguous along a reduced
    /// dimension, else a thread per output; a long reduction with few outputs is split across blocks and its
    /// partial results merged by a second kernel.
    /// </summary>
    private void Reduction(string op, BufferView x, bool[] reduced, BufferView y, int accumulatorBytes)
    {
        if (!y.IsContiguous) throw new ArgumentException($"{op}: the output on {Device} must be contiguous");
        long outputs = y.Count;
        if (outputs == 0) return;
        var keptShape = x.Shape.Where((_, d) => !reduced[d]).ToArray();
        var reducedShape = x.Shape.Where((_, d) => reduced[d]).ToArray();
        var keptStrides = x.Strides.Where((_, d) => !reduced[d]).ToArray();
        var reducedStrides = x.Strides.Where((_, d) => reduced[d]).ToArray();
        long length = Shapes.NumElements(reducedShape);
        bool rows = length > 1 && SmallestStride(reducedShape, reducedStrides) <= SmallestStride(keptShape, keptStrides);
        var (shape, splits, chunk) = rows ? launch.RowReduction(outputs, length, accumulatorBytes) : launch.ColumnReduction(outputs, length);
        ulong partials = splits > 1 ? allocator.Allocate(splits * outputs * accumulatorBytes) : 0;
        try
        {
            var arguments = new KernelArguments();
            arguments.Add(outputs);
            arguments.Add(length);
            arguments.Add(chunk);
            arguments.Add(KernelLayout.Of(keptShape, [keptStrides]));
            arguments.Add(KernelLayout.Of(reducedShape, [reducedStrides]));
            arguments.Add(Address(x));
            arguments.Add(Address(y));
            arguments.Add(partials);
            string dtype = KernelNames.Suffix(x.DType);
            Launch(KernelNames.Reduce, $"{op}_{(rows ? "rows" : "columns")}_{dtype}", shape, arguments);
            if (splits == 1) return;
            var merge = new KernelArguments();
            merge.Add(outputs);
            merge.Add(splits);
            merge.Add(partials);
            merge.Add(Address(y));
            Launch(KernelNames.Reduce, $"{op}_merge_{dtype}", launch.Elementwise(outputs), merge);
        }
        finally
        {
            if (partials != 0) allocator.Free(partials);
        }
    }

    /// <summary>The smallest |stride| among dimensions longer than 1 (long.MaxValue when there are none).</summary>
    private static long SmallestStride(int[] shape, long[] strides)
    {
        long smallest = long.MaxValue;
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] > 1) smallest = Math.Min(smallest, Math.Abs(strides[d]));
        return smallest;
    }

    public void Softmax(BufferView x, int axis, BufferView y, bool log)
    {
        if (y.Count == 0) return;
        long rows = y.Count / y.Shape[axis], length = x.Shape[axis];
        var otherShape = x.Shape.Where((_, d) => d != axis).ToArray();
        long[] otherX = x.Strides.Where((_, d) => d != axis).ToArray(), otherY = y.Strides.Where((_, d) => d != axis).ToArray();
        bool byRow = x.Strides[axis] == 1 || SmallestStride(otherShape, otherX) != 1;
        var arguments = new KernelArguments();
        arguments.Add(rows);
        arguments.Add(length);
        arguments.Add(KernelLayout.Of(otherShape, [otherX, otherY]));
        arguments.Add(x.Strides[axis]);
        arguments.Add(y.Strides[axis]);
        arguments.Add(log ? 1 : 0);
        arguments.Add(Address(x));
        arguments.Add(Address(y));
        string name = $"softmax_{(byRow ? "rows" : "columns")}_{KernelNames.Suffix(x.DType)}";
        Launch(KernelNames.Softmax, name, byRow ? launch.Rows(rows, length) : launch.Elementwise(rows), arguments);
    }
}
