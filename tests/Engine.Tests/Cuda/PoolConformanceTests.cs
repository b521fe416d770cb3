using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Pools on the CUDA device against the CPU backend, bit for bit: the kernels sum each window and gather each gradient in
/// the CPU's order, and take the CPU's maximum on ties and NaN. Windows overlap, are dilated, padded, in ceil mode, or
/// adaptive with uneven sizes; inputs hold many ties (small integers) in every layout.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class PoolConformanceTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Pools = new()
    {
        ["max 3x3 stride 1 padding 1"] = x => Functional.MaxPool2d(x, 3, 1, 1),
        ["max 2x3 stride (1, 2) dilation 2 ceil"] = x => Functional.MaxPool2d(x, (2, 3), (1, 2), 0, 2, ceilMode: true),
        ["max 3x3 stride 2 padding 1 ceil"] = x => Functional.MaxPool2d(x, 3, 2, 1, ceilMode: true),
        ["avg 3x3 stride 2 padding 1 with padding counted"] = x => Functional.AvgPool2d(x, 3, 2, 1),
        ["avg 3x2 stride 1 padding (1, 0) ceil, padding not counted"] = x => Functional.AvgPool2d(x, (3, 2), 1, (1, 0), ceilMode: true, countIncludePad: false),
        ["adaptive 4x5"] = x => Functional.AdaptiveAvgPool2d(x, (4, 5)),
        ["adaptive 3x3"] = x => Functional.AdaptiveAvgPool2d(x, 3),
        ["global"] = x => Functional.AdaptiveAvgPool2d(x, 1),
    };

    public static TheoryData<string, DType, Layout> Cases() => Sample.FloatingInEveryLayout(Pools.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PoolsAndTheirGradientsMatchTheCpuExactly(string name, DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(7000, [2, 3, 10, 9], dtype, layout, -3, 3, integral: true);
        Conformance.Check($"{name} {dtype} {layout}", t => Pools[name](t[0]), DeviceTol.Exact, x);
    }

    /// <summary>A NaN wins its windows, the first NaN of a window gets its gradient.</summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MaxPoolTakesTheCpusNaN(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Range(0, 2 * 7 * 6).Select(i => i % 5 == 0 ? double.NaN : (i * 37 % 11) - 5.0).ToArray();
        var x = Tensor.From(values, [1, 2, 7, 6]).To(dtype);
        Conformance.Check($"MaxPool2d with NaN {dtype}", t => Functional.MaxPool2d(t[0], 3, 2, 1), DeviceTol.Exact, x);
    }
}
