using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Norm;

/// <summary>VarMean, MultiplyAdd and the normalisation functions against their definitions, and the running statistics.</summary>
public class NormForwardTests
{
    public static TheoryData<DType, Layout> Layouts() => Sample.InEveryLayout(Sample.FloatTypes);

    private static Tol Tolerance(DType dtype) => dtype == DType.F32 ? new(2e-5, 2e-5) : new(1e-11, 1e-11);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void VarMeanMatchesTheDefinition(DType dtype, Layout layout)
    {
        int seed = 100;
        foreach (var (shape, axes) in new (int[], int[])[] { ([6, 5], [1]), ([4, 3, 7], [0, 2]), ([3, 4, 5, 6], [0, 2, 3]), ([300, 150], [0]), ([2, 3, 4], [0, 1, 2]) })
            foreach (int correction in new[] { 0, 1 })
            {
                using var scope = TensorScope.Begin();
                var (x, rx) = Sample.Make(seed++, shape, dtype, layout);
                var (variance, mean) = NormReference.VarMean(rx, axes, correction);
                var (v, m) = x.VarMean(axes, keepDim: true, correction);
                string what = $"VarMean {Check.Describe(shape)} axes [{string.Join(", ", axes)}] correction {correction} {dtype} {layout}";
                Check.Close(mean, m, Tolerance(dtype), what + " mean");
                Check.Close(variance, v, Tolerance(dtype), what + " variance");
                Assert.Equal(shape.Where((_, i) => !axes.Contains(i)).ToArray(), x.VarMean(axes, correction: correction).Mean.Shape);
            }
    }

    /// <summary>Statistics are accumulated relative to a sample in double, so a large mean does not swamp a small spread in F32.</summary>
    [Fact]
    public void VarianceOfF32ValuesWithALargeMeanIsAccurate()
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Range(0, 40_000).Select(i => 10_000f + (i % 2 == 0 ? 1f : -1f)).ToArray();
        var (variance, mean) = Tensor.From(values).VarMean(correction: 0);
        Assert.Equal(10_000f, mean.Item<float>());
        Assert.Equal(1f, variance.Item<float>(), 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void MultiplyAddMatchesTheDefinition(DType dtype, Layout layout)
    {
        int seed = 200;
        foreach (var shapes in new int[][][] { [[4, 5], [4, 5], [4, 5]], [[2, 3, 40], [1, 3, 1], [1, 3, 1]], [[2, 3, 4], [4], [3, 1]], [[5], [5, 1], [1]], [[180, 200], [200], [180, 1]] })
        {
            using var scope = TensorScope.Begin();
            var (x, rx) = Sample.Make(seed++, shapes[0], dtype, layout);
            var (a, ra) = Sample.Make(seed++, shapes[1], dtype, layout);
            var (b, rb) = Sample.Make(seed++, shapes[2], dtype, layout);
            var expected = Ref.Zip(Ref.Zip(rx, ra, (p, q) => p * q), rb, (p, q) => p + q);
            Check.Close(expected, Tensor.MultiplyAdd(x, a, b), Tol.Reduction(dtype), $"MultiplyAdd {string.Join(" ", shapes.Select(Check.Describe))} {dtype} {layout}");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void BatchNormInTrainingNormalisesByTheBatchStatisticsAndUpdatesTheRunningOnes(DType dtype, Layout layout)
    {
        int seed = 300;
        foreach (var shape in new[] { new[] { 8, 3 }, [4, 3, 10], [5, 4, 6, 7] })
        {
            using var scope = TensorScope.Begin();
            int channels = shape[1];
            var (x, rx) = Sample.Make(seed++, shape, dtype, layout);
            var (w, rw) = Sample.Make(seed++, [channels], dtype, Layout.Contiguous);
            var (b, rb) = Sample.Make(seed++, [channels], dtype, Layout.Contiguous);
            var (runningMean, rm) = Sample.Make(seed++, [channels], dtype, Layout.Contiguous);
            var (runningVar, rv) = Sample.Make(seed++, [channels], dtype, Layout.Contiguous, 0.5, 2);
            var axes = Enumerable.Range(0, shape.Length).Where(d => d != 1).ToArray();
            var (variance, mean) = NormReference.VarMean(rx, axes, 0);
            var expected = NormReference.Normalize(rx, mean, variance, 1e-5, NormReference.Channels(rw, shape.Length), NormReference.Channels(rb, shape.Length));
            var y = Functional.BatchNorm(x, runningMean, runningVar, w, b, training: true, momentum: 0.25);
            string what = $"BatchNorm training {Check.Describe(shape)} {dtype} {layout}";
            Check.Close(expected, y, Tolerance(dtype), what);
            int count = Ref.Count(shape) / channels;
            var (unbiased, _) = NormReference.VarMean(rx, axes, 1);
            Check.Close(new Ref([channels], [.. rm.Data.Select((r, c) => 0.75 * r + 0.25 * mean.Data[c])]), runningMean, Tolerance(dtype), what + " running mean");
            Check.Close(new Ref([channels], [.. rv.Data.Select((r, c) => 0.75 * r + 0.25 * unbiased.Data[c])]), runningVar, Tolerance(dtype), what + " running variance");
            Assert.True(count > 1);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void BatchNormInInferenceNormalisesByTheRunningStatistics(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        int[] shape = [3, 4, 5, 2];
        var (x, rx) = Sample.Make(400, shape, dtype, layout);
        var (runningMean, rm) = Sample.Make(401, [4], dtype, Layout.Contiguous);
        var (runningVar, rv) = Sample.Make(402, [4], dtype, Layout.Contiguous, 0.5, 2);
        var before = runningMean.ToArray<double>();
        var expected = NormReference.Normalize(rx, NormReference.Channels(rm, 4), NormReference.Channels(rv, 4), 1e-3, null, null);
        Check.Close(expected, Functional.BatchNorm(x, runningMean, runningVar, eps: 1e-3), Tolerance(dtype), $"BatchNorm inference {dtype} {layout}");
        Assert.Equal(before, runningMean.ToArray<double>());
    }

    [Fact]
    public void BatchNormUpdatesRunningStatisticsWithoutRecordingAndMarksThemModified()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([4, 2, 3], DType.F64, new Engine.Random.Generator(5));
        x.RequiresGrad = true;
        var runningMean = Tensor.Zeros([2], DType.F64);
        var runningVar = Tensor.Ones([2], DType.F64);
        using var tape = Tape.Record();
        var y = Functional.BatchNorm(x, runningMean, runningVar, training: true);
        Assert.False(runningMean.RequiresGrad);
        Assert.False(runningVar.RequiresGrad);
        tape.Backward(y.Square().Sum());
        Assert.NotNull(x.Grad);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void GroupNormMatchesTheDefinition(DType dtype, Layout layout)
    {
        int seed = 500;
        foreach (var (shape, groups) in new (int[], int)[] { ([2, 6, 5], 3), ([3, 4, 3, 3], 2), ([2, 4, 3, 3], 4), ([2, 3], 1) })
        {
            using var scope = TensorScope.Begin();
            int channels = shape[1];
            var (x, rx) = Sample.Make(seed++, shape, dtype, layout);
            var (w, rw) = Sample.Make(seed++, [channels], dtype, Layout.Strided);
            var (b, rb) = Sample.Make(seed++, [channels], dtype, Layout.Strided);
            int[] grouped = [shape[0], groups, Ref.Count(shape) / shape[0] / groups];
            var rg = new Ref(grouped, rx.Data);
            var (variance, mean) = NormReference.VarMean(rg, [2], 0);
            var normalized = new Ref(shape, NormReference.Normalize(rg, mean, variance, 1e-5, null, null).Data);
            var expected = NormReference.Affine(normalized, NormReference.Channels(rw, shape.Length), NormReference.Channels(rb, shape.Length));
            Check.Close(expected, Functional.GroupNorm(x, groups, w, b), Tolerance(dtype), $"GroupNorm {Check.Describe(shape)} groups {groups} {dtype} {layout}");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void LayerNormMatchesTheDefinition(DType dtype, Layout layout)
    {
        int seed = 600;
        foreach (var (shape, normalized) in new (int[], int[])[] { ([4, 6], [6]), ([2, 3, 5], [3, 5]), ([3, 2, 4], [4]) })
        {
            using var scope = TensorScope.Begin();
            var (x, rx) = Sample.Make(seed++, shape, dtype, layout);
            var (w, rw) = Sample.Make(seed++, normalized, dtype, layout);
            var (b, rb) = Sample.Make(seed++, normalized, dtype, layout);
            var axes = Enumerable.Range(shape.Length - normalized.Length, normalized.Length).ToArray();
            var (variance, mean) = NormReference.VarMean(rx, axes, 0);
            var expected = NormReference.Normalize(rx, mean, variance, 1e-5, rw, rb);
            Check.Close(expected, Functional.LayerNorm(x, normalized, w, b), Tolerance(dtype), $"LayerNorm {Check.Describe(shape)} over {Check.Describe(normalized)} {dtype} {layout}");
        }
    }
}
