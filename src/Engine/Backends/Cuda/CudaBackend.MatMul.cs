using Engine.Backends.Cpu;

namespace Engine.Backends.Cuda;

internal sealed partial class CudaBackend
{
    /// <summary>
    /// y = a b (+ bias along the last dimension) per batch through cuBLAS (<see cref="Gemm"/>): transposed views cost
    /// nothing and only a view with neither rows nor columns contiguous is copied. Batch dimensions are merged
    /// where every operand allows; the innermost becomes one strided-batched call (stride 0 for a broadcast operand),
    /// outer ones a loop of calls. A bias is first copied into every row of y and the GEMMs add to it (beta 1).
    /// </summary>
    public void MatMul(BufferView a, BufferView b, BufferView y, BufferView? bias = null)
    {
        if (!y.IsContiguous) throw new ArgumentException($"MatMul: the output on {Device} must be contiguous");
        int rank = y.Rank, m = y.Shape[rank - 2], n = y.Shape[rank - 1], k = a.Shape[rank - 1];
        if (y.Count == 0) return;
        if (bias is { } row) Copy(row.BroadcastTo(y.Shape), y);
        else if (k == 0) Fill(y, 0);
        if (k == 0) return;
        if (driver.AllowTf32 != CudaDevices.AllowTf32) driver.AllowTf32 = CudaDevices.AllowTf32;
        var temporaries = new List<Storage>();
        try
        {
            var left = Operand(a, m, k, temporaries);
            var right = Operand(b, k, n, temporaries);
            var (dims, strides) = StridedLoop.Coalesce(y.Shape[..^2], [left.Strides[..^2], right.Strides[..^2], y.Strides[..^2]]);
            int inner = dims.Length == 0 ? 1 : checked((int)dims[^1]);
            long strideA = dims.Length == 0 ? 0 : strides[0][^1], strideB = dims.Length == 0 ? 0 : strides[1][^1];
            long strideY = dims.Length == 0 ? 0 : strides[2][^1];
            int size = y.DType.ElementSize();
            ulong addressA = Address(left), addressB = Address(right), addressY = Address(y);
            var outer = dims.Length == 0 ? [] : dims[..^1];
            var index = new long[outer.Length];
            long calls = outer.Aggregate(1L, (product, d) => product * d);
            for (long call = 0; call < calls; call++)
            {
                long offsetA = 0, offsetB = 0, offsetY = 0;
                for (int d = 0; d < outer.Length; d++)
                {
                    offsetA += index[d] * strides[0][d];
                    offsetB += index[d] * strides[1][d];
                    offsetY += index[d] * strides[2][d];
                }
                Gemm(y.DType,
                    new MatrixOperand(addressA + (ulong)(offsetA * size), m, k, left.Strides[rank - 2], left.Strides[rank - 1], strideA),
                    new MatrixOperand(addressB + (ulong)(offsetB * size), k, n, right.Strides[rank - 2], right.Strides[rank - 1], strideB),
                    new MatrixOperand(addressY + (ulong)(offsetY * size), m, n, n, 1, strideY),
                    beta: bias is null ? 0 : 1, inner);
                for (int d = outer.Length - 1; d >= 0 && ++index[d] == outer[d]; d--) index[d] = 0;
            }
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    /// <summary>The view when it has a cuBLAS operand form, else a contiguous copy (added to <paramref name="temporaries"/>).</summary>
    private BufferView Operand(BufferView view, int rows, int columns, List<Storage> temporaries)
    {
        int rank = view.Rank;
        if (GemmOperand.Of(rows, columns, view.Strides[rank - 2], view.Strides[rank - 1]) is not null) return view;
        var copy = Temporary(view.DType, view.Shape);
        temporaries.Add(copy.Storage);
        Copy(view, copy);
        return copy;
    }
}
