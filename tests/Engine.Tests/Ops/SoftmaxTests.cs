using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Softmax and LogSoftmax along each axis, F32 and F64, in each layout: they match exp(x) / sum(exp(x)) and its
/// log, and the probabilities along the axis sum to 1. One case has 32 771 rows, so the rows run in parallel.
/// </summary>
public class SoftmaxTests
{
    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.FloatTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceAlongEachAxis(DType dtype, Layout layout)
    {
        int seed = 2400;
        foreach (int[] shape in new[] { new[] { 3, 4, 5 }, [7], [32_771, 2] })
        {
            using var scope = TensorScope.Begin();
            var (x, r) = Sample.Make(seed++, shape, dtype, layout, -6, 6);
            for (int axis = -1; axis < shape.Length; axis++)
            {
                int dim = axis < 0 ? axis + shape.Length : axis;
                var logSum = r.Reduce([dim], true, v => Math.Log(v.Sum(Math.Exp)));
                var expectedLog = Ref.Zip(r, logSum, (v, l) => v - l);
                string what = $"{Check.Describe(shape)} axis {axis} {dtype} {layout}";

                var softmax = x.Softmax(axis);
                Check.Close(expectedLog.Map(Math.Exp), softmax, Tol.Elementwise(dtype), $"Softmax {what}");
                var rowSums = new Ref(shape, softmax.ToArray<double>()).Reduce([dim], false, v => v.Sum());
                Check.Close(rowSums.Map(_ => 1), Tensor.From(rowSums.Data, rowSums.Shape), Tol.Elementwise(dtype), $"Softmax sums {what}");

                Check.Close(expectedLog, x.LogSoftmax(axis), Tol.Elementwise(dtype), $"LogSoftmax {what}");
            }
        }
    }

    [Fact]
    public void DefaultAxisIsTheLast()
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(2500, [3, 4], DType.F64, Layout.Contiguous);
        Assert.Equal(x.Softmax(1).ToArray<double>(), x.Softmax().ToArray<double>());
        Assert.Equal(x.LogSoftmax(1).ToArray<double>(), x.LogSoftmax().ToArray<double>());
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LargeLogitsDoNotOverflow(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var x = Ref.Of([2, 2], 1000, 1000, 1000, 0).ToTensor(dtype);
        Check.Exact([2, 2], [0.5, 0.5, 1, 0], x.Softmax());
        Check.Close(Ref.Of([2, 2], -Math.Log(2), -Math.Log(2), 0, -1000), x.LogSoftmax(), Tol.Elementwise(dtype), "LogSoftmax");
    }
}
