using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Integer arithmetic (division truncates toward zero) on I32 and I64, with broadcasting, every layout and the scalar variants.</summary>
public class IntegerBinaryTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Op, Func<long, long, long> Reference)> TensorOps = new()
    {
        ["Add"] = ((a, b) => a + b, (a, b) => a + b),
        ["Sub"] = ((a, b) => a - b, (a, b) => a - b),
        ["Mul"] = ((a, b) => a * b, (a, b) => a * b),
        ["Div"] = ((a, b) => a / b, (a, b) => a / b),
        ["Maximum"] = ((a, b) => a.Maximum(b), Math.Max),
        ["Minimum"] = ((a, b) => a.Minimum(b), Math.Min),
    };

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<long, long> Reference)> ScalarOps = new()
    {
        ["x + 3"] = (x => x + 3, x => x + 3),
        ["3 + x"] = (x => 3 + x, x => 3 + x),
        ["x - 3"] = (x => x - 3, x => x - 3),
        ["7 - x"] = (x => 7 - x, x => 7 - x),
        ["x * -2"] = (x => x * -2, x => x * -2),
        ["x / 4"] = (x => x / 4, x => x / 4),
        ["100 / x"] = (x => 100 / x, x => 100 / x),
        ["Maximum(x, 2)"] = (x => x.Maximum(2), x => Math.Max(x, 2)),
        ["Minimum(x, 2)"] = (x => x.Minimum(2), x => Math.Min(x, 2)),
    };

    public static TheoryData<string, DType> TensorCases() => Cross(TensorOps.Keys);

    public static TheoryData<string, DType> ScalarCases() => Cross(ScalarOps.Keys);

    private static TheoryData<string, DType> Cross(IEnumerable<string> names)
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in names)
        {
            data.Add(name, DType.I32);
            data.Add(name, DType.I64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TensorCases))]
    public void TensorOpsMatchTheReference(string name, DType dtype)
    {
        var (op, reference) = TensorOps[name];
        int seed = 600;
        foreach (var layout in Sample.Layouts)
            foreach (var (shapeA, shapeB) in BinaryOpTests.ShapePairs)
            {
                using var scope = TensorScope.Begin();
                var (a, ra) = Sample.Make(seed++, shapeA, dtype, layout, -50, 50);
                var (b, rb) = Sample.Make(seed++, shapeB, dtype, layout, 1, 9);
                var y = op(a, b);
                Assert.Equal(dtype, y.DType);
                Check.Exact(Ref.Zip(ra, rb, (u, v) => reference((long)u, (long)v)), y,
                    $"{Check.Describe(shapeA)} {name} {Check.Describe(shapeB)} {dtype} {layout}");
            }
    }

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOpsMatchTheReference(string name, DType dtype)
    {
        var (op, reference) = ScalarOps[name];
        int seed = 700;
        foreach (var layout in Sample.Layouts)
            foreach (var shape in Sample.ElementwiseShapes)
            {
                using var scope = TensorScope.Begin();
                var (x, r) = Sample.Make(seed++, shape, dtype, layout, 1, 50);
                var y = op(x);
                Assert.Equal(dtype, y.DType);
                Check.Exact(r.Map(v => reference((long)v)), y, $"{name} {dtype} {layout} {Check.Describe(shape)}");
            }
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void DivisionTruncatesTowardZero(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var a = Ref.Of([4], 7, -7, 7, -7).ToTensor(dtype);
        var b = Ref.Of([4], 2, 2, -2, -2).ToTensor(dtype);
        Check.Exact([4], [3, -3, -3, 3], a / b);
        Check.Exact([4], [3, -3, 3, -3], a / 2);
    }
}
