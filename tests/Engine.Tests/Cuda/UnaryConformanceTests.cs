using Engine.Tests.Ops;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>Every unary op on the CUDA device against the CPU backend: forward and gradient, every layout.</summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class UnaryConformanceTests
{
    private static readonly int[][] Shapes = [[], [7], [3, 5], [33, 65]];

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(UnaryCase.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheCpu(string name, DType dtype, Layout layout)
    {
        var op = UnaryCase.All[name];
        int seed = name.Length;
        foreach (var shape in Shapes)
        {
            using var scope = TensorScope.Begin();
            var (x, _) = Sample.Make(seed++, shape, dtype, layout, op.Lo, op.Hi);
            Conformance.Check($"{name} {dtype} {layout} {Conformance.Format(shape)}", a => op.Op(a[0]), DeviceTol.Elementwise(dtype), x);
        }
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    public void IntegerOpsMatchTheCpu(DType dtype)
    {
        (string, Func<Tensor, Tensor>)[] ops =
        [
            ("Neg", x => x.Neg()), ("Abs", x => x.Abs()), ("Square", x => x.Square()),
            ("Sign", x => x.Sign()), ("Relu", x => x.Relu()), ("Clamp", x => x.Clamp(-3, 4)),
        ];
        foreach (var (name, op) in ops)
            foreach (var layout in Sample.Layouts)
            {
                using var scope = TensorScope.Begin();
                var (x, _) = Sample.Make(7, [5, 9], dtype, layout, -9, 9);
                Conformance.Check($"{name} {dtype} {layout}", a => op(a[0]), DeviceTol.Exact, x);
            }
    }
}
