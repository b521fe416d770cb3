using System.Numerics;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    private static long ReadIndex(BufferView index, long element, int limit, string op)
    {
        long value = index.DType == DType.I32 ? *Address<int>(index, element) : *Address<long>(index, element);
        if (value < 0 || value >= limit)
            throw new IndexOutOfRangeException($"{op}: index {value} is out of range for a dimension of size {limit}");
        return value;
    }

    /// <summary>The view with stride 0 along <paramref name="axis"/>, so walking it visits the slice's origin.</summary>
    private static BufferView Pinned(BufferView view, int axis, int[] shape)
    {
        var strides = (long[])view.Strides.Clone();
        strides[axis] = 0;
        return new BufferView(view.Storage, shape, strides, view.Offset);
    }

    public void IndexSelect(BufferView x, int axis, BufferView index, BufferView y)
    {
        long[] positions = ReadIndices(index, x.Shape[axis], "IndexSelect");
        long strideX = x.Strides[axis];
        int size = x.DType.ElementSize();
        byte* px = (byte*)x.Storage.Pointer, py = (byte*)y.Storage.Pointer;
        var xPinned = Pinned(x, axis, y.Shape);
        StridedLoop.Run(y.Shape, [xPinned.Offset, y.Offset, 0], [xPinned.Strides, y.Strides, AxisCoordinate(y.Rank, axis)], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                long source = o[0] + i * s[0] + positions[o[2] + i * s[2]] * strideX;
                Buffer.MemoryCopy(px + source * size, py + (o[1] + i * s[1]) * size, size, size);
            }
        });
    }

    public void IndexAdd(BufferView y, int axis, BufferView index, BufferView source)
    {
        long[] positions = ReadIndices(index, y.Shape[axis], "IndexAdd");
        switch (y.DType)
        {
            case DType.F32: IndexAddOf<float>(y, axis, positions, source); break;
            case DType.F64: IndexAddOf<double>(y, axis, positions, source); break;
            case DType.I32: IndexAddOf<int>(y, axis, positions, source); break;
            case DType.I64: IndexAddOf<long>(y, axis, positions, source); break;
        }
    }

    private static void IndexAddOf<T>(BufferView y, int axis, long[] positions, BufferView source) where T : unmanaged, INumber<T>
    {
        T* ps = (T*)source.Storage.Pointer, py = (T*)y.Storage.Pointer;
        long strideY = y.Strides[axis];
        var yPinned = Pinned(y, axis, source.Shape);
        StridedLoop.Run(source.Shape, [source.Offset, yPinned.Offset, 0], [source.Strides, yPinned.Strides, AxisCoordinate(source.Rank, axis)], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
                py[o[1] + i * s[1] + positions[o[2] + i * s[2]] * strideY] += ps[o[0] + i * s[0]];
        }, parallel: false);
    }

    /// <summary>Strides under which an operand's offset is the coordinate along <paramref name="axis"/>.</summary>
    private static long[] AxisCoordinate(int rank, int axis)
    {
        var strides = new long[rank];
        strides[axis] = 1;
        return strides;
    }

    public void Gather(BufferView x, int axis, BufferView index, BufferView y)
    {
        int limit = x.Shape[axis];
        long strideX = x.Strides[axis];
        var xPinned = Pinned(x, axis, y.Shape);
        int size = x.DType.ElementSize();
        byte* px = (byte*)x.Storage.Pointer, py = (byte*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [xPinned, index, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                long position = ReadIndex(index, o[1] + i * s[1], limit, "Gather");
                Buffer.MemoryCopy(px + (o[0] + i * s[0] + position * strideX) * size, py + (o[2] + i * s[2]) * size, size, size);
            }
        });
    }

    public void ScatterAdd(BufferView y, int axis, BufferView index, BufferView source)
    {
        switch (y.DType)
        {
            case DType.F32: ScatterAddOf<float>(y, axis, index, source); break;
            case DType.F64: ScatterAddOf<double>(y, axis, index, source); break;
            case DType.I32: ScatterAddOf<int>(y, axis, index, source); break;
            case DType.I64: ScatterAddOf<long>(y, axis, index, source); break;
        }
    }

    private static void ScatterAddOf<T>(BufferView y, int axis, BufferView index, BufferView source) where T : unmanaged, INumber<T>
    {
        int limit = y.Shape[axis];
        long strideY = y.Strides[axis];
        T* ps = (T*)source.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(source.Shape, [source, index, Pinned(y, axis, source.Shape)], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                long position = ReadIndex(index, o[1] + i * s[1], limit, "ScatterAdd");
                py[o[2] + i * s[2] + position * strideY] += ps[o[0] + i * s[0]];
            }
        }, parallel: false);
    }

    public void OneHot(BufferView index, BufferView y)
    {
        Fill(y, 0);
        int classes = y.Shape[^1];
        long classStride = y.Strides[^1];
        var rows = y.Narrow(y.Rank - 1, 0, 1);
        var indexView = new BufferView(index.Storage, rows.Shape, [.. index.Strides, 0], index.Offset);
        StridedLoop.Run(rows.Shape, [indexView, rows], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                long position = o[1] + i * s[1] + ReadIndex(index, o[0] + i * s[0], classes, "OneHot") * classStride;
                switch (y.DType)
                {
                    case DType.F32: *Address<float>(y, position) = 1; break;
                    case DType.F64: *Address<double>(y, position) = 1; break;
                    case DType.I32: *Address<int>(y, position) = 1; break;
                    case DType.I64: *Address<long>(y, position) = 1; break;
                }
            }
        });
    }

    private static long[] ReadIndices(BufferView index, int limit, string op)
    {
        var positions = new long[index.Count];
        for (int i = 0; i < positions.Length; i++) positions[i] = ReadIndex(index, index.Offset + i * index.Strides[0], limit, op);
        return positions;
    }
}
