using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>exp(x) / sum(exp(x)) along <paramref name="axis"/>, computed stably.</summary>
    public Tensor Softmax(int axis = -1) => SoftmaxOp(axis, log: false);

    /// <summary>log(softmax(x)) along <paramref name="axis"/>, computed stably.</summary>
    public Tensor LogSoftmax(int axis = -1) => SoftmaxOp(axis, log: true);

    private Tensor SoftmaxOp(int axis, bool log)
    {
        string name = log ? "LogSoftmax" : "Softmax";
        OpChecks.Floating(name, this);
        int dim = Shapes.Axis(name, axis, Rank);
        var y = Empty(shape, DType, Device);
        Backend.Softmax(Buffer, dim, y.Buffer, log);
        return y.Record(name, [this], [y], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            var output = c.Saved(0);
            var gradient = log
                ? g - output.Exp() * g.Sum(dim, keepDim: true)
                : output * (g - (g * output).Sum(dim, keepDim: true));
            return [scope.Keep(gradient)];
        });
    }
}

/// <summary>Losses and other functions of several tensors, named as in <c>torch.nn.functional</c>.</summary>
public static partial class Functional
{
    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> [N, C] against integer <paramref name="labels"/> [N]
    /// (I32 or I64 class indices), like <c>torch.nn.functional.cross_entropy</c>.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels)
    {
        OpChecks.Floating("CrossEntropy", logits);
        OpChecks.Integer("CrossEntropy", labels);
        if (logits.Rank != 2 || labels.Rank != 1 || labels.Dims[0] != logits.Dims[0])
            throw new ArgumentException(
                $"CrossEntropy: expected logits [N, C] and labels [N], got {OpChecks.Describe(logits)} and {OpChecks.Describe(labels)}");
        using var scope = TensorScope.Begin();
        var picked = logits.LogSoftmax(1).Gather(1, labels.Unsqueeze(1));
        return scope.Keep(-picked.Mean());
    }

    /// <summary>Mean squared error, like <c>torch.nn.functional.mse_loss</c>; shapes must match.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        if (!prediction.Dims.AsSpan().SequenceEqual(target.Dims))
            throw new ArgumentException($"MseLoss: prediction {OpChecks.Describe(prediction)} and target {OpChecks.Describe(target)} differ in shape");
        using var scope = TensorScope.Begin();
        return scope.Keep((prediction - target).Square().Mean());
    }

    /// <summary>One-hot rows of length <paramref name="classes"/> for integer <paramref name="indices"/>.</summary>
    public static Tensor OneHot(Tensor indices, int classes, DType dtype = DType.F32) => Tensor.OneHot(indices, classes, dtype);
}
