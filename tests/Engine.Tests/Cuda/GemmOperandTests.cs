using Engine.Backends.Cuda;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>The cuBLAS form of matrix views: which layouts go through as they are and which must be copied.</summary>
public class GemmOperandTests
{
    [Theory]
    [InlineData(3, 4, 4, 1, false, 4)]   // row-major: columns contiguous
    [InlineData(3, 4, 6, 1, false, 6)]   // rows padded
    [InlineData(3, 4, 1, 3, true, 3)]    // a transposed view: rows contiguous
    [InlineData(1, 4, 99, 1, false, 4)]  // one row: its stride is never read
    [InlineData(3, 1, 1, 0, false, 1)]   // one column: contiguous either way
    [InlineData(1, 1, 0, 0, false, 1)]
    [InlineData(3, 4, 1, 2, null, 0)]    // leading dimension 2 < 3 rows
    [InlineData(3, 4, 8, 2, null, 0)]    // every other column: neither layout
    [InlineData(3, 4, 0, 1, null, 0)]    // rows broadcast with stride 0
    public void FormsOfMatrixViews(int rows, int columns, long rowStride, long columnStride, bool? transpose, int ld)
    {
        var form = GemmOperand.Of(rows, columns, rowStride, columnStride);
        if (transpose is null)
        {
            Assert.Null(form);
            return;
        }
        Assert.Equal(new GemmOperand(transpose.Value, ld), form);
    }
}
