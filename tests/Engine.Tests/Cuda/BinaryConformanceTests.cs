using Engine.Tests.Ops;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Binary ops with broadcasting, tensor-scalar ops and Where on the CUDA device against the CPU backend: every op,
/// dtype and layout, forward and gradient. One shape pair (42 411 elements) spans many blocks.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class BinaryConformanceTests
{
    /// <summary>The op and the input range of b (away from 0 for division, positive bases for Pow's a).</summary>
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Op, double ALo, double BLo, double BHi)> Ops = new()
    {
        ["Add"] = ((a, b) => a + b, -2, -2, 2),
        ["Sub"] = ((a, b) => a - b, -2, -2, 2),
        ["Mul"] = ((a, b) => a * b, -2, -2, 2),
        ["Div"] = ((a, b) => a / b, -2, 0.25, 2),
        ["Pow"] = ((a, b) => a.Pow(b), 0.25, -3, 3),
        ["Maximum"] = ((a, b) => a.Maximum(b), -2, -2, 2),
        ["Minimum"] = ((a, b) => a.Minimum(b), -2, -2, 2),
        ["Eq"] = ((a, b) => a.Eq(b), -2, -2, 2),
        ["Ne"] = ((a, b) => a.Ne(b), -2, -2, 2),
        ["<"] = ((a, b) => a < b, -2, -2, 2),
        ["<="] = ((a, b) => a <= b, -2, -2, 2),
        [">"] = ((a, b) => a > b, -2, -2, 2),
        [">="] = ((a, b) => a >= b, -2, -2, 2),
    };

    private static readonly Dictionary<string, Func<Tensor, Tensor>> ScalarOps = new()
    {
        ["x + 1.5"] = x => x + 1.5, ["1.5 + x"] = x => 1.5 + x, ["x - 1.5"] = x => x - 1.5, ["1.5 - x"] = x => 1.5 - x,
        ["x * -0.75"] = x => x * -0.75, ["x / -0.75"] = x => x / -0.75, ["1.5 / x"] = x => 1.5 / x,
        ["Pow(x, 2)"] = x => x.Abs().Pow(2), ["Pow(x, -0.75)"] = x => (x.Abs() + 0.25).Pow(-0.75),
        ["Maximum(x, -0.75)"] = x => x.Maximum(-0.75), ["Minimum(x, -0.75)"] = x => x.Minimum(-0.75),
        ["x < 0.5"] = x => x < 0.5, ["x >= 0.5"] = x => x >= 0.5, ["Eq(x, 1)"] = x => x.Eq(1), ["Ne(x, 1)"] = x => x.Ne(1),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Ops.Keys);

    public static TheoryData<string, DType, Layout> ScalarCases() => Sample.FloatingInEveryLayout(ScalarOps.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheCpu(string name, DType dtype, Layout layout)
    {
        var (op, aLo, bLo, bHi) = Ops[name];
        int seed = 100;
        foreach (var (shapeA, shapeB) in BinaryOpTests.ShapePairs)
        {
            using var scope = TensorScope.Begin();
            var (a, _) = Sample.Make(seed++, shapeA, dtype, layout, aLo, 2);
            var (b, _) = Sample.Make(seed++, shapeB, dtype, layout, bLo, bHi);
            Conformance.Check($"{Conformance.Format(shapeA)} {name} {Conformance.Format(shapeB)} {dtype} {layout}",
                x => op(x[0], x[1]), DeviceTol.Elementwise(dtype), a, b);
        }
    }

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void ScalarOpsMatchTheCpu(string name, DType dtype, Layout layout)
    {
        var op = ScalarOps[name];
        int seed = 300;
        foreach (var shape in Sample.ElementwiseShapes)
        {
            using var scope = TensorScope.Begin();
            // Integral values make the comparisons with 0.5 and 1 meet ties.
            var (x, _) = Sample.Make(seed++, shape, dtype, layout, -3, 3, integral: name.Contains("Eq") || name.Contains("Ne"));
            Conformance.Check($"{name} {dtype} {layout} {Conformance.Format(shape)}", a => op(a[0]), DeviceTol.Elementwise(dtype), x);
        }
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void IntegerOpsMatchTheCpu(DType dtype)
    {
        (string, Func<Tensor, Tensor, Tensor>)[] ops =
        [
            ("Add", (a, b) => a + b), ("Sub", (a, b) => a - b), ("Mul", (a, b) => a * b), ("Div", (a, b) => a / b),
            ("Maximum", (a, b) => a.Maximum(b)), ("Minimum", (a, b) => a.Minimum(b)), ("<", (a, b) => a < b), ("Eq", (a, b) => a.Eq(b)),
            ("a - 7", (a, _) => a - 7), ("100 / a", (a, _) => 100 / (a.Abs() + 1)), ("a / -3", (a, _) => a / -3),
        ];
        int seed = 600;
        foreach (var (name, op) in ops)
            foreach (var layout in Sample.Layouts)
                foreach (var (shapeA, shapeB) in BinaryOpTests.ShapePairs)
                {
                    using var scope = TensorScope.Begin();
                    var (a, _) = Sample.Make(seed++, shapeA, dtype, layout, -50, 50);
                    var (b, _) = Sample.Make(seed++, shapeB, dtype, layout, 1, 9);
                    Conformance.Check($"{name} {dtype} {layout}", x => op(x[0], x[1]), DeviceTol.Exact, a, b);
                }
    }

    public static TheoryData<DType, DType, Layout> WhereCases()
    {
        var data = new TheoryData<DType, DType, Layout>();
        foreach (var valueType in Sample.AllTypes)
            foreach (var conditionType in Sample.AllTypes)
                foreach (var layout in Sample.Layouts)
                    data.Add(valueType, conditionType, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(WhereCases))]
    public void WhereMatchesTheCpu(DType valueType, DType conditionType, Layout layout)
    {
        (int[] C, int[] A, int[] B)[] shapes = [([3, 4], [3, 4], [3, 4]), ([3, 1], [1, 4], []), ([2, 1, 5], [3, 1], [1]), ([41, 53], [53], [41, 1])];
        int seed = 800;
        foreach (var (shapeC, shapeA, shapeB) in shapes)
        {
            using var scope = TensorScope.Begin();
            var (c, _) = Sample.Make(seed++, shapeC, conditionType, layout, -1, 1, integral: true);
            var (a, _) = Sample.Make(seed++, shapeA, valueType, layout, -9, 9);
            var (b, _) = Sample.Make(seed++, shapeB, valueType, layout, -9, 9);
            // The forward pass copies values; gradients of broadcast inputs are sums.
            var tol = valueType.IsFloating() ? DeviceTol.Accumulated(valueType) : DeviceTol.Exact;
            Conformance.Check($"Where {conditionType} {valueType} {layout}", x => Tensor.Where(x[0], x[1], x[2]), tol, c, a, b);
        }
    }
}
