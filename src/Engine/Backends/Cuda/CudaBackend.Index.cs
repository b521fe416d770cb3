using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    // Layouts follow the CPU backend: an operand "pinned" with stride 0 along the axis walks the slice origins,
    // a coordinate operand (stride 1 along the axis, 0 elsewhere) gives the position along it.

    public void IndexSelect(BufferView x, int axis, BufferView index, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, [Pinned(x.Strides, axis), y.Strides, Coordinate(y.Rank, axis)]));
        arguments.Add(Address(x));
        arguments.Add(x.Strides[axis]);
        AddIndex(ref arguments, index);
        arguments.Add(index.Strides[0]);
        arguments.Add((long)x.Shape[axis]);
        arguments.Add(Address(y));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Index, $"index_select_{KernelNames.Suffix(x.DType)}", launch.Elementwise(n), arguments);
    }

    public void IndexAdd(BufferView y, int axis, BufferView index, BufferView source)
    {
        long n = source.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(source.Shape, [source.Strides, Pinned(y.Strides, axis), Coordinate(source.Rank, axis)]));
        arguments.Add(Address(y));
        arguments.Add(y.Strides[axis]);
        AddIndex(ref arguments, index);
        arguments.Add(index.Strides[0]);
        arguments.Add((long)y.Shape[axis]);
        arguments.Add(Address(source));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Index, $"index_add_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    public void Gather(BufferView x, int axis, BufferView index, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, [Pinned(x.Strides, axis), index.Strides, y.Strides]));
        arguments.Add(Address(x));
        arguments.Add(x.Strides[axis]);
        AddIndex(ref arguments, index);
        arguments.Add((long)x.Shape[axis]);
        arguments.Add(Address(y));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Index, $"gather_{KernelNames.Suffix(x.DType)}", launch.Elementwise(n), arguments);
    }

    public void ScatterAdd(BufferView y, int axis, BufferView index, BufferView source)
    {
        long n = source.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(source.Shape, [source.Strides, index.Strides, Pinned(y.Strides, axis)]));
        arguments.Add(Address(y));
        arguments.Add(y.Strides[axis]);
        AddIndex(ref arguments, index);
        arguments.Add((long)y.Shape[axis]);
        arguments.Add(Address(source));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Index, $"scatter_add_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    public void OneHot(BufferView index, BufferView y)
    {
        Fill(y, 0);
        long n = index.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(index.Shape, [index.Strides, y.Strides[..^1]]));
        AddIndex(ref arguments, index);
        arguments.Add((long)y.Shape[^1]);
        arguments.Add(y.Strides[^1]);
        arguments.Add(Address(y));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Index, $"one_hot_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    /// <summary>The index pointer and whether it holds I64 (else I32) values.</summary>
    private void AddIndex(ref KernelArguments arguments, BufferView index)
    {
        if (index.DType.IsFloating()) throw new ArgumentException($"index on {Device} must be I32 or I64, got {index.DType}");
        arguments.Add(Address(index));
        arguments.Add(index.DType == DType.I64 ? 1 : 0);
    }

    private static long[] Pinned(long[] strides, int axis)
    {
        var pinned = (long[])strides.Clone();
        pinned[axis] = 0;
        return pinned;
    }

    private static long[] Coordinate(int rank, int axis)
    {
        var strides = new long[rank];
        strides[axis] = 1;
        return strides;
    }
}
