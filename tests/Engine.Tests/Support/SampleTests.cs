using Xunit;

namespace Engine.Tests.Support;

/// <summary>The test inputs themselves: each layout shows the reference values and is really laid out that way.</summary>
public class SampleTests
{
    [Theory]
    [InlineData(Layout.Contiguous, true)]
    [InlineData(Layout.Transposed, false)]
    [InlineData(Layout.Strided, false)]
    [InlineData(Layout.Expanded, false)]
    public void LayoutsShowTheReferenceValues(Layout layout, bool contiguous)
    {
        using var scope = TensorScope.Begin();
        foreach (var dtype in new[] { DType.F32, DType.F64, DType.I32, DType.I64 })
        {
            var (t, r) = Sample.Make(1, [3, 4, 5], dtype, layout);
            Assert.Equal(dtype, t.DType);
            Assert.Equal(contiguous, t.IsContiguous);
            Check.Exact(r, t, $"{layout} {dtype}");
            Assert.Contains(r.Data, v => v != 0);
        }
    }

    [Fact]
    public void StridedLayoutHasAnOffsetAndGaps()
    {
        using var scope = TensorScope.Begin();
        var (t, _) = Sample.Make(2, [3, 4], DType.F32, Layout.Strided);
        Assert.Equal(1, t.Offset);
        Assert.Equal([9L, 2L], t.Strides);
    }

    [Fact]
    public void ExpandedLayoutRepeatsAlongTheFirstLargeAxis()
    {
        using var scope = TensorScope.Begin();
        var (t, r) = Sample.Make(3, [1, 3, 4], DType.F64, Layout.Expanded);
        Assert.Equal(0L, t.Strides[1]);
        Assert.Equal(r[0, 0, 2], r[0, 2, 2]);
    }
}
