using Engine.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Optim;

/// <summary>Clipping by the global norm of all gradients together.</summary>
public class GradientClippingTests
{
    [Fact]
    public void ScalesAllGradientsByOneFactorWhenTheGlobalNormIsTooLarge()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Zeros([2], DType.F64);
        var b = Tensor.Zeros([1], DType.F64);
        var c = Tensor.Zeros([1], DType.F64);
        a.Grad = Tensor.From([3.0, 0]);
        b.Grad = Tensor.From([4.0]);
        double norm = GradientClipping.ClipGradNorm([a, b, c], 1);
        Assert.Equal(5, norm, 1e-12);
        Assert.Equal([0.6, 0], a.Grad.ToArray<double>().Select(v => Math.Round(v, 6)));
        Assert.Equal(0.8, b.Grad!.Item<double>(), 1e-6);
        Assert.Null(c.Grad);
        Assert.Equal(1, GradientClipping.ClipGradNorm([a, b], 2), 1e-5);
        Assert.Equal(0.8, b.Grad!.Item<double>(), 1e-6);
        Expect.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([a], 0), "ClipGradNorm", "positive");
    }
}
