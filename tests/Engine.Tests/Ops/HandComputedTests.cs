using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Small cases worked out by hand, independent of any reference code.</summary>
public class HandComputedTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void MatrixProduct(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var a = Ref.Of([2, 2], 1, 2, 3, 4).ToTensor(dtype);
        var b = Ref.Of([2, 2], 5, 6, 7, 8).ToTensor(dtype);
        Check.Exact([2, 2], [19, 22, 43, 50], a.MatMul(b));
        Check.Exact([2, 2], [26, 30, 38, 44], a.Transpose().MatMul(b));
        Check.Exact([], [11], Ref.Of([2], 1, 2).ToTensor(dtype).MatMul(Ref.Of([2], 3, 4).ToTensor(dtype)));
        Check.Exact([2], [17, 39], a.MatMul(Ref.Of([2], 5, 6).ToTensor(dtype)));
    }

    [Fact]
    public void SoftmaxOfZeroAndLogThree()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0, Math.Log(3)], 2);
        Check.Close(Ref.Of([2], 0.25, 0.75), x.Softmax(), 1e-15, 0, "softmax");
        Check.Close(Ref.Of([2], Math.Log(0.25), Math.Log(0.75)), x.LogSoftmax(), 1e-15, 0, "log-softmax");
        Check.Close(Ref.Of([], Math.Log(4)), x.LogSumExp(), 1e-15, 0, "logsumexp");
        var loss = Functional.CrossEntropy(x.Reshape(1, 2), Tensor.From([1L]));
        Check.Close(Ref.Of([], -Math.Log(0.75)), loss, 1e-15, 0, "cross-entropy");
    }

    [Fact]
    public void Statistics()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2, 3, 4], 4);
        Check.Exact([], [10], x.Sum());
        Check.Exact([], [2.5], x.Mean());
        Check.Close(Ref.Of([], 5.0 / 3), x.Var(), 1e-15, 0, "unbiased variance");
        Check.Exact([], [1.25], x.Var(correction: 0));
        Check.Close(Ref.Of([], Math.Sqrt(5.0 / 3)), x.Std(), 1e-15, 0, "std");
        Check.Exact([], [5], Tensor.FromArray([3.0, -4], 2).Norm());
        Check.Exact([], [7], Tensor.FromArray([3.0, -4], 2).Norm(p: 1));
        Check.Exact([], [4], Tensor.FromArray([3.0, -4], 2).Norm(p: double.PositiveInfinity));
        var m = Tensor.From(new double[,] { { 1, 5, 2 }, { 7, 0, 7 } });
        Check.Exact([3], [8, 5, 9], m.Sum(0));
        Check.Exact([2, 1], [5, 7], m.Max(1, keepDim: true));
        Check.Exact([2], [1, 0], m.ArgMax(1));
        Check.Exact([3], [0, 1, 0], m.ArgMin(0));
    }

    [Fact]
    public void Activations()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([-2.0, 0, 1], 3);
        Check.Exact([3], [0, 0, 1], x.Relu());
        Check.Exact([3], [-0.2, 0, 1], x.LeakyRelu(0.1));
        Check.Exact([3], [-1, 0, 1], x.Sign());
        Check.Close(Ref.Of([3], 1 / (1 + Math.E * Math.E), 0.5, 1 / (1 + 1 / Math.E)), x.Sigmoid(), 1e-15, 0, "sigmoid");
        // gelu_tanh(x) = x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), evaluated to 40 digits.
        Check.Close(Ref.Of([3], -0.04540230591222498, 0, 0.8411919906082767), x.Gelu(), 1e-14, 0, "gelu");
        Check.Close(Ref.Of([3], Math.Log(1 + Math.Exp(-2)), Math.Log(2), Math.Log(1 + Math.E)), x.Softplus(), 1e-15, 0, "softplus");
    }

    [Fact]
    public void ExtremeInputsStayFinite()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([-1000f, 1000], 2);
        Check.Exact([2], [0, 1], x.Sigmoid());
        Check.Exact([2], [0, 1000], x.Softplus());
        Check.Exact([2], [-1, 1], x.Tanh());
        Check.Exact([2], [0, double.PositiveInfinity], x.Exp());
        Check.Exact([], [1000], x.LogSumExp());
    }

    [Fact]
    public void Arithmetic()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var column = Tensor.From(new float[,] { { 10 }, { 20 } });
        Check.Exact([2, 3], [11, 12, 13, 24, 25, 26], a + column);
        Check.Exact([2, 3], [9, 8, 7, 16, 15, 14], column - a);
        Check.Exact([2, 3], [1, 0, -1, -2, -3, -4], 2 - a);
        Check.Exact([2, 3], [6, 3, 2, 1.5, 1.2f, 1], 6 / a);
        Check.Exact([2, 3], [1, 4, 9, 16, 25, 36], a.Pow(2));
        Check.Exact([3], [1024, 1, 0.5], Tensor.FromArray([2.0, 5, 4], 3).Pow(Tensor.FromArray([10.0, 0, -0.5], 3)));
    }
}
