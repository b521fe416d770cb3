using Engine.Autodiff;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// How close the CUDA result must be to the CPU's: |cuda - cpu| &lt;= Rel * (|cpu| + max(1, max |cpu|)) elementwise. The
/// second term bounds rounding errors that scale with the largest value (or with the inputs, about 1 in the tests).
/// </summary>
internal readonly record struct DeviceTol(double Rel)
{
    /// <summary>
    /// One or a few roundings, or library functions a few ulp apart (CUDA's expf and tanhf are within 2 ulp, the
    /// CPU's within 1; a GPU may fuse multiply-adds): F64 agrees to 1e-13 (a few hundred ulp, room for chains of ops
    /// in gradients), F32 to 1e-5 (as the CPU tests' Tol.Elementwise). On the emulator, which calls the same C
    /// library as the CPU, F64 results agree to 1e-14.
    /// </summary>
    public static DeviceTol Elementwise(DType dtype) => new(dtype == DType.F32 ? 1e-5 : 1e-13);

    /// <summary>
    /// Sums in another order (tree reductions, cuBLAS, softmax normalisers, atomics): the error scales with the
    /// largest value, so the bound does too. F32 carries the CPU's own float accumulation error (the GPU sums F32
    /// in double).
    /// </summary>
    public static DeviceTol Accumulated(DType dtype) => new(dtype == DType.F32 ? 1e-4 : 1e-12);

    public static readonly DeviceTol Exact = new(0);
}

/// <summary>
/// The conformance check every CUDA test uses: one body run on the CPU and on the CUDA device with the same inputs
/// (mirrored with their layouts) and the same cotangent, comparing the forward values and the gradient of every
/// floating input from the tape.
/// </summary>
internal static class Conformance
{
    private const ulong CotangentSeed = 0xC07A;

    public static void Check(string what, Func<Tensor[], Tensor> f, DeviceTol tol, params Tensor[] inputs) => Check(what, f, tol, true, inputs);

    /// <summary>The forward comparison alone, with no tape: for inputs where the gradient is singular, and for in-place writes.</summary>
    public static void CheckForward(string what, Func<Tensor[], Tensor> f, DeviceTol tol, params Tensor[] inputs) => Check(what, f, tol, false, inputs);

    private static void Check(string what, Func<Tensor[], Tensor> f, DeviceTol tol, bool gradients, Tensor[] inputs)
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        // Mirrored before f runs on the CPU, which may write its inputs in place.
        var mirrored = inputs.Select(x => x.Mirror(device)).ToArray();
        var (expected, expectedGradients) = Run(f, inputs, gradients);
        var (actual, actualGradients) = Run(f, mirrored, gradients);
        Assert.Equal(device, actual.Device);
        Compare($"{what}: forward", expected, actual, tol);
        for (int i = 0; i < expectedGradients.Length; i++)
        {
            Assert.Equal(device, actualGradients[i].Device);
            Compare($"{what}: gradient of input {i}", expectedGradients[i], actualGradients[i], tol);
        }
    }

    /// <summary>f(inputs) and, when it is floating, the vector-Jacobian product with a fixed normal cotangent for each floating input.</summary>
    private static (Tensor Output, Tensor[] Gradients) Run(Func<Tensor[], Tensor> f, Tensor[] inputs, bool gradients)
    {
        if (!gradients) return (f(inputs), []);
        using var tape = Tape.Record();
        var floating = inputs.Where(x => x.DType.IsFloating()).ToArray();
        foreach (var x in floating) tape.Watch(x);
        var y = f(inputs);
        if (!y.DType.IsFloating() || floating.Length == 0) return (y, []);
        using var cotangent = Tensor.Randn(y.Shape, y.DType, new Generator(CotangentSeed)).To(y.Device);
        return (y, tape.Gradients([y], [cotangent], floating, allowUnused: true));
    }

    /// <summary>Same shape and dtype, and values within <paramref name="tol"/> (NaN where the CPU has NaN, same infinities).</summary>
    public static void Compare(string what, Tensor expected, Tensor actual, DeviceTol tol)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {Format(actual.Shape)} on {actual.Device}, {Format(expected.Shape)} on {expected.Device}");
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double scale = Math.Max(1, e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : e[i] == a[i] || double.IsFinite(e[i]) && Math.Abs(a[i] - e[i]) <= tol.Rel * (Math.Abs(e[i]) + scale);
            if (!ok)
                Assert.Fail($"{what}: element {i} of {Format(expected.Shape)} {expected.DType} is {a[i]:R} on {actual.Device}, " +
                            $"{e[i]:R} on {expected.Device} (tolerance {tol.Rel} relative to |value| + {scale:G3})");
        }
    }

    public static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
