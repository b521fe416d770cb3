using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Tensors created on the CUDA device equal those the CPU creates: factories, dtype conversions (special values
/// included), copies of strided views, and Philox random numbers bit for bit.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class CreationConformanceTests
{
    public static TheoryData<DType> AllTypes() => [.. Sample.AllTypes];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void FactoriesMatchTheCpu(DType dtype)
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        (string, Func<Device, Tensor>)[] factories =
        [
            ("Zeros", d => Tensor.Zeros([3, 700], dtype, d)),
            ("Ones", d => Tensor.Ones([5, 3], dtype, d)),
            ("Full(-7)", d => Tensor.Full([2, 3, 4], -7, dtype, d)),
            ("Full(-1)", d => Tensor.Full([1001], -1, dtype, d)),
            ("Full(1e9)", d => Tensor.Full([9], 1e9, dtype, d)),
            ("Scalar", d => Tensor.Scalar(3, dtype, d)),
            ("Arange", d => Tensor.Arange(-3, 1000, 0.7, dtype, d)),
            ("Arange negative step", d => Tensor.Arange(10, -10, -0.3, dtype, d)),
            ("Linspace", d => Tensor.Linspace(-1, 2, 1001, dtype, d)),
            ("Eye", d => Tensor.Eye(5, 7, dtype, d)),
            ("From", d => Tensor.From(new[] { 1.0, -2, 3 }, [3], d).To(dtype)),
        ];
        foreach (var (name, factory) in factories)
            Conformance.Compare($"{name} {dtype}", factory(Device.Cpu), factory(device), DeviceTol.Exact);
    }

    public static TheoryData<DType, DType> Conversions()
    {
        var data = new TheoryData<DType, DType>();
        foreach (var from in Sample.AllTypes)
            foreach (var to in Sample.AllTypes)
                data.Add(from, to);
        return data;
    }

    /// <summary>Rounding, truncation toward zero, saturation and NaN of the conversions, in strided views too.</summary>
    [Theory]
    [MemberData(nameof(Conversions))]
    public void ConversionsMatchTheCpu(DType from, DType to)
    {
        using var scope = TensorScope.Begin();
        double[] values = from.IsFloating()
            ? [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e10, -1e10, 2.5, -2.5, 0.99999, -0.99999, 2147483647.5,
               -2147483648.7, 9.3e18, -9.3e18, 16777217, 1e-40, 3.0000001, -0.0]
            : [0, 1, -1, 2147483647, -2147483648, 16777217, 123456789, -987654321];
        var x = Tensor.From(values, [values.Length]).To(from);
        Conformance.Check($"{from} -> {to}", t => t[0].To(to), DeviceTol.Exact, x);
        var (strided, _) = Sample.Make(7, [13, 11], from, Layout.Transposed, -1e3, 1e3);
        Conformance.Check($"{from} -> {to} transposed", t => t[0].To(to), DeviceTol.Exact, strided);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void CopiesOfViewsMatchTheCpu(DType dtype)
    {
        using var scope = TensorScope.Begin();
        foreach (var layout in Sample.Layouts)
        {
            var (x, _) = Sample.Make(8, [6, 5, 17], dtype, layout, -9, 9);
            Conformance.Check($"Contiguous {layout}", t => t[0].Contiguous(), DeviceTol.Exact, x);
            Conformance.Check($"Clone of a permuted slice {layout}", t => t[0].Permute(2, 0, 1).Slice(0, 1, 16, 3).Clone(), DeviceTol.Exact, x);
        }
    }

    public static TheoryData<DType, bool> RandomCases() => new() { { DType.F32, false }, { DType.F32, true }, { DType.F64, false }, { DType.F64, true } };

    /// <summary>
    /// Philox streams are the same bit for bit: the same seed gives the same tensors after the same draws, whatever
    /// the sizes (including ones that end mid-block of four). Normals go through log, sin and cos in double: the
    /// emulator calls the same C library as the CPU backend and must match exactly; CUDA's versions may differ from
    /// it by an ulp, so on a GPU each normal may differ by 2 ulp of its dtype.
    /// </summary>
    [Theory]
    [MemberData(nameof(RandomCases))]
    public void PhiloxStreamsMatchTheCpuBitForBit(DType dtype, bool normal)
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var onCpu = new Generator(20251125);
        var onDevice = new Generator(20251125);
        foreach (int[] shape in new[] { new[] { 1 }, [7], [3, 5], [40_003], [2, 2] })
        {
            var expected = (normal ? Tensor.Randn(shape, dtype, onCpu) : Tensor.Rand(shape, dtype, onCpu)).ToArray<double>();
            var drawn = normal ? Tensor.Randn(shape, dtype, onDevice, device) : Tensor.Rand(shape, dtype, onDevice, device);
            Assert.Equal(device, drawn.Device);
            var actual = drawn.ToArray<double>();
            long allowed = normal && !CudaTest.Backend.IsEmulated ? 2 : 0;
            for (int i = 0; i < expected.Length; i++)
                Assert.True(UlpDistance(expected[i], actual[i], dtype) <= allowed,
                    $"{(normal ? "Randn" : "Rand")} {dtype} {Conformance.Format(shape)} element {i}: {actual[i]:R} on {device}, {expected[i]:R} on the CPU");
        }
    }

    private static long UlpDistance(double a, double b, DType dtype) => dtype == DType.F32
        ? Math.Abs((long)BitConverter.SingleToInt32Bits((float)a) - BitConverter.SingleToInt32Bits((float)b))
        : Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));
}
