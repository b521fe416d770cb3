using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Comparisons write 1 or 0 in the inputs' dtype. Inputs are whole numbers in [-2, 2] so that equal pairs are
/// common; every dtype, every layout, with broadcasting and the scalar variants.
/// </summary>
public class ComparisonTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Op, Func<double, double, bool> Reference)> TensorOps = new()
    {
        ["Eq"] = ((a, b) => a.Eq(b), (a, b) => a == b),
        ["Ne"] = ((a, b) => a.Ne(b), (a, b) => a != b),
        ["Lt"] = ((a, b) => a.Lt(b), (a, b) => a < b),
        ["Le"] = ((a, b) => a.Le(b), (a, b) => a <= b),
        ["Gt"] = ((a, b) => a.Gt(b), (a, b) => a > b),
        ["Ge"] = ((a, b) => a.Ge(b), (a, b) => a >= b),
        ["<"] = ((a, b) => a < b, (a, b) => a < b),
        ["<="] = ((a, b) => a <= b, (a, b) => a <= b),
        [">"] = ((a, b) => a > b, (a, b) => a > b),
        [">="] = ((a, b) => a >= b, (a, b) => a >= b),
    };

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, bool> Reference)> ScalarOps = new()
    {
        ["Eq(1)"] = (x => x.Eq(1), x => x == 1),
        ["Ne(1)"] = (x => x.Ne(1), x => x != 1),
        ["x < 1"] = (x => x < 1, x => x < 1),
        ["x <= 1"] = (x => x <= 1, x => x <= 1),
        ["x > 1"] = (x => x > 1, x => x > 1),
        ["x >= 1"] = (x => x >= 1, x => x >= 1),
    };

    private static readonly DType[] AllTypes = [DType.F32, DType.F64, DType.I32, DType.I64];

    public static TheoryData<string, DType> TensorCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in TensorOps.Keys)
            foreach (var dtype in AllTypes)
                data.Add(name, dtype);
        return data;
    }

    public static TheoryData<string, DType> ScalarCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in ScalarOps.Keys)
            foreach (var dtype in AllTypes)
                data.Add(name, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(TensorCases))]
    public void TensorComparisonsMatchTheReference(string name, DType dtype)
    {
        var (op, reference) = TensorOps[name];
        int seed = 400;
        foreach (var layout in Sample.Layouts)
            foreach (var (shapeA, shapeB) in BinaryOpTests.ShapePairs)
            {
                using var scope = TensorScope.Begin();
                var (a, ra) = Sample.Make(seed++, shapeA, dtype, layout, -2, 2, integral: true);
                var (b, rb) = Sample.Make(seed++, shapeB, dtype, layout, -2, 2, integral: true);
                var y = op(a, b);
                Assert.Equal(dtype, y.DType);
                Check.Exact(Ref.Zip(ra, rb, (u, v) => reference(u, v) ? 1 : 0), y,
                    $"{Check.Describe(shapeA)} {name} {Check.Describe(shapeB)} {dtype} {layout}");
            }
    }

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarComparisonsMatchTheReference(string name, DType dtype)
    {
        var (op, reference) = ScalarOps[name];
        int seed = 500;
        foreach (var layout in Sample.Layouts)
            foreach (var shape in Sample.ElementwiseShapes)
            {
                using var scope = TensorScope.Begin();
                var (x, r) = Sample.Make(seed++, shape, dtype, layout, -2, 2, integral: true);
                var y = op(x);
                Assert.Equal(dtype, y.DType);
                Check.Exact(r.Map(v => reference(v) ? 1 : 0), y, $"{name} {dtype} {layout} {Check.Describe(shape)}");
            }
    }
}
