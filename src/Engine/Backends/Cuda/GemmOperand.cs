namespace Engine.Backends.Cuda;

/// <summary>
/// How a row-major matrix view M (rows x columns, element (r, c) at r * rowStride + c * columnStride) enters a
/// cuBLAS GEMM as the column-major operand op(X) = M^T. The backend computes the row-major Y = A B as the
/// column-major Y^T = B^T A^T, so both of its operands are needed transposed. Read column-major with leading
/// dimension rowStride, M's memory is M^T (operation N) when its columns are contiguous; read with leading
/// dimension columnStride it is M itself (operation T) when its rows are. The stride of a dimension of size 1 is
/// never read, so any valid value stands for it. A view with neither layout, or a leading dimension cuBLAS
/// rejects, has no operand form and must be copied.
/// </summary>
internal readonly record struct GemmOperand(bool Transpose, int LeadingDimension)
{
    public static GemmOperand? Of(int rows, int columns, long rowStride, long columnStride)
    {
        if (columns == 1 || columnStride == 1)
        {
            long ld = rows == 1 ? Math.Max(1, columns) : rowStride;
            if (ld >= Math.Max(1, columns) && ld <= int.MaxValue) return new GemmOperand(false, (int)ld);
        }
        if (rows == 1 || rowStride == 1)
        {
            long ld = columns == 1 ? Math.Max(1, rows) : columnStride;
            if (ld >= Math.Max(1, rows) && ld <= int.MaxValue) return new GemmOperand(true, (int)ld);
        }
        return null;
    }
}
