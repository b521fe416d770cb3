namespace Engine.Backends.Cuda;

/// <summary>
/// One operand of a batched row-major matrix product on the device: element (r, c) of matrix b of the batch is at
/// <see cref="Address"/> + (b <see cref="BatchStride"/> + r <see cref="RowStride"/> + c <see cref="ColumnStride"/>)
/// elements.
/// </summary>
internal readonly record struct MatrixOperand(ulong Address, int Rows, int Columns, long RowStride, long ColumnStride, long BatchStride = 0)
{
    /// <summary>The matrix's cuBLAS operand form (see <see cref="GemmOperand"/>), or null when it has none.</summary>
    public GemmOperand? Form => GemmOperand.Of(Rows, Columns, RowStride, ColumnStride);
}
