using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Dropout on the CUDA device keeps exactly the elements the CPU keeps (the same Philox draws, compared bit for bit) for
/// sizes that end inside a block of four, several probabilities and counter offsets, and any input layout; its gradient
/// applies the same mask.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class DropoutConformanceTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MasksAreTheCpusBitForBit(DType dtype)
    {
        using var scope = TensorScope.Begin();
        foreach (int n in new[] { 1, 5, 1023, 4099 })
            foreach (double p in new[] { 0.1, 0.5, 0.97 })
            {
                var ones = Tensor.Ones([n], dtype);
                // The second draw of a generator starts at counter offset ceil(n / 4).
                Conformance.CheckForward($"Dropout mask of {n} {dtype} p {p}", t =>
                {
                    var generator = new Generator(0xD809 + (ulong)n);
                    using var first = Functional.Dropout(t[0], p, generator: generator);
                    return Functional.Dropout(t[0], p, generator: generator);
                }, DeviceTol.Exact, ones);
            }
    }

    [Theory]
    [MemberData(nameof(LayerConformanceTests.Cases), MemberType = typeof(LayerConformanceTests))]
    public void DropoutAndItsGradientMatchTheCpuExactly(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        var (x, _) = Sample.Make(7100, [3, 5, 7], dtype, layout);
        Conformance.Check($"Dropout {dtype} {layout}", t => Functional.Dropout(t[0], 0.3, generator: new Generator(11)), DeviceTol.Exact, x);
    }
}
