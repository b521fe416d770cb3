using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Optim;

/// <summary>
/// The fused updates against PyTorch's update rules written out element by element in double, over several steps
/// with fresh gradients, for strided parameters too; and their argument checks.
/// </summary>
public class ParameterUpdateTests
{
    public static TheoryData<DType, Layout> Layouts() => Sample.InEveryLayout(Sample.FloatTypes);

    private static Tol Tolerance(DType dtype) => dtype == DType.F32 ? new(2e-5, 2e-6) : new(1e-12, 1e-14);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void SgdFollowsTorchOptimSgd(DType dtype, Layout layout)
    {
        var settings = new (double Momentum, double Dampening, double Decay, bool Nesterov)[] { (0, 0, 0, false), (0.9, 0, 1e-2, false), (0.9, 0.3, 0, false), (0.8, 0, 5e-3, true) };
        int seed = 10;
        foreach (var (momentum, dampening, decay, nesterov) in settings)
        {
            using var scope = TensorScope.Begin();
            var (p, rp) = Sample.Make(seed++, [4, 5], dtype, layout == Layout.Expanded ? Layout.Strided : layout);
            var buffer = momentum != 0 ? Tensor.Zeros([4, 5], dtype) : null;
            var expected = (double[])rp.Data.Clone();
            var velocity = new double[expected.Length];
            for (int step = 0; step < 3; step++)
            {
                var (g, rg) = Sample.Make(seed++, [4, 5], dtype, layout);
                ParameterUpdate.Sgd(p, g, buffer, 0.1, momentum, dampening, decay, nesterov, firstStep: step == 0);
                for (int i = 0; i < expected.Length; i++)
                {
                    double d = rg.Data[i] + decay * expected[i];
                    if (momentum != 0)
                    {
                        velocity[i] = step == 0 ? d : momentum * velocity[i] + (1 - dampening) * d;
                        d = nesterov ? d + momentum * velocity[i] : velocity[i];
                    }
                    expected[i] -= 0.1 * d;
                }
                Check.Close(new Ref([4, 5], expected), p, Tolerance(dtype), $"SGD momentum {momentum} dampening {dampening} decay {decay} nesterov {nesterov} step {step}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AdamFollowsTorchOptimAdamAndAdamW(DType dtype, Layout layout)
    {
        int seed = 50;
        foreach (var (decay, decoupled) in new[] { (0.0, false), (0.05, false), (0.05, true) })
        {
            using var scope = TensorScope.Begin();
            var (p, rp) = Sample.Make(seed++, [3, 7], dtype, layout == Layout.Expanded ? Layout.Strided : layout);
            var m = Tensor.Zeros([3, 7], dtype);
            var v = Tensor.Zeros([3, 7], dtype);
            var expected = (double[])rp.Data.Clone();
            var first = new double[expected.Length];
            var second = new double[expected.Length];
            double lr = 0.01, beta1 = 0.8, beta2 = 0.95, eps = 1e-6;
            for (int step = 1; step <= 4; step++)
            {
                var (g, rg) = Sample.Make(seed++, [3, 7], dtype, layout);
                ParameterUpdate.Adam(p, g, m, v, step, lr, beta1, beta2, eps, decay, decoupled);
                for (int i = 0; i < expected.Length; i++)
                {
                    double grad = rg.Data[i] + (decoupled ? 0 : decay * expected[i]);
                    if (decoupled) expected[i] *= 1 - lr * decay;
                    first[i] = beta1 * first[i] + (1 - beta1) * grad;
                    second[i] = beta2 * second[i] + (1 - beta2) * grad * grad;
                    double denominator = Math.Sqrt(second[i]) / Math.Sqrt(1 - Math.Pow(beta2, step)) + eps;
                    expected[i] -= lr / (1 - Math.Pow(beta1, step)) * first[i] / denominator;
                }
                string what = $"{(decoupled ? "AdamW" : "Adam")} decay {decay} step {step}";
                Check.Close(new Ref([3, 7], expected), p, Tolerance(dtype), what);
                Check.Close(new Ref([3, 7], first), m, Tolerance(dtype), what + " first moment");
                Check.Close(new Ref([3, 7], second), v, Tolerance(dtype), what + " second moment");
            }
        }
    }

    [Fact]
    public void UpdatesMarkTheParameterModifiedSoATapeThatSavedItNotices()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Ones([3], DType.F64);
        w.RequiresGrad = true;
        var before = w.Storage.Version;
        using (Tape.NoGrad()) ParameterUpdate.Sgd(w, Tensor.Ones([3], DType.F64), null, 0.5);
        Assert.True(w.Storage.Version > before);
        Assert.Equal([0.5, 0.5, 0.5], w.ToArray<double>());
    }

    [Fact]
    public void BadArgumentsNameTheOpAndWhatWasExpected()
    {
        using var scope = TensorScope.Begin();
        var p = Tensor.Zeros([2, 3]);
        Expect.Throws<ArgumentException>(() => ParameterUpdate.Sgd(p, Tensor.Zeros([3, 2]), null, 0.1), "Sgd", "[3, 2]", "does not match the parameter [2, 3]");
        Expect.Throws<ArgumentException>(() => ParameterUpdate.Sgd(p, Tensor.Zeros([2, 3]), null, 0.1, momentum: 0.9), "Sgd", "momentum buffer");
        Expect.Throws<ArgumentException>(() => ParameterUpdate.Sgd(p, Tensor.Zeros([2, 3], DType.F64), null, 0.1), "Sgd", "dtypes differ");
        Expect.Throws<ArgumentException>(() => ParameterUpdate.Adam(p, Tensor.Zeros([2, 3]), Tensor.Zeros([2, 3]), Tensor.Zeros([2, 3]), 0, 0.1), "Adam", "step counts from 1");
        Expect.Throws<ArgumentException>(() => ParameterUpdate.Adam(p, Tensor.Zeros([2, 3]), Tensor.Zeros([2, 3]), Tensor.Zeros([2]), 1, 0.1), "Adam", "[2]");
    }
}
