using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed partial class CudaBackend
{
    /// <summary>
    /// c = a b + beta c for each of <paramref name="batch"/> row-major matrices, as one cuBLAS (strided-batched) GEMM: the
    /// row-major product is the column-major c^T = b^T a^T, so b is cuBLAS's first operand and a its second, each read
    /// as N or T by its <see cref="GemmOperand"/> form. c's rows must be contiguous; a and b need an operand form.
    /// </summary>
    private void Gemm(DType dtype, in MatrixOperand a, in MatrixOperand b, in MatrixOperand c, double beta, int batch = 1)
    {
        var left = a.Form ?? throw new ArgumentException($"Gemm on {Device}: {a} has no cuBLAS operand form; copy it first");
        var right = b.Form ?? throw new ArgumentException($"Gemm on {Device}: {b} has no cuBLAS operand form; copy it first");
        if (c.Columns > 1 && c.ColumnStride != 1) throw new ArgumentException($"Gemm on {Device}: the rows of the result {c} must be contiguous");
        int ldc = (int)(c.Rows == 1 ? Math.Max(1, c.Columns) : c.RowStride);
        driver.Gemm(new GemmCall(dtype, right.Transpose, left.Transpose, M: c.Columns, N: c.Rows, K: a.Columns, Alpha: 1,
            A: b.Address, Lda: right.LeadingDimension, StrideA: b.BatchStride,
            B: a.Address, Ldb: left.LeadingDimension, StrideB: a.BatchStride,
            Beta: beta, C: c.Address, Ldc: ldc, StrideC: c.BatchStride, Batch: batch));
    }
}
