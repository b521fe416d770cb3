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
        if (NumElements == 0) return y;
        try
        {
            Backend.Softmax(Buffer, dim, y.Buffer, log);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(this);
        }
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
    /// Cross-entropy of <paramref name="logits"/> [N, C] against integer class indices <paramref name="labels"/> [N]
    /// (I32 or I64), like <c>torch.nn.functional.cross_entropy</c>: optional per-class <paramref name="weight"/> [C],
    /// rows whose label is <paramref name="ignoreIndex"/> contribute nothing, and <paramref name="labelSmoothing"/>
    /// mixes the one-hot target with the uniform distribution. The mean divides by the summed weights of the
    /// labels that count (their number without weights), as PyTorch does.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, Tensor? weight = null, long ignoreIndex = -100,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        const string name = "CrossEntropy";
        OpChecks.Floating(name, logits);
        OpChecks.Integer(name, labels);
        if (logits.Rank != 2 || labels.Rank != 1 || labels.Dims[0] != logits.Dims[0])
            throw new ArgumentException(
                $"{name}: expected logits [N, C] and labels [N], got {OpChecks.Describe(logits)} and {OpChecks.Describe(labels)}");
        int classes = logits.Dims[1];
        if (weight is not null)
        {
            OpChecks.Compatible(name, logits, weight);
            if (weight.Rank != 1 || weight.Dims[0] != classes)
                throw new ArgumentException($"{name}: weight {OpChecks.Describe(weight)} should be [{classes}], one per class");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"{name}: labelSmoothing must be in [0, 1], got {labelSmoothing}");
        using var scope = TensorScope.Begin();
        var contiguous = logits.Contiguous();
        var (rowLoss, rowWeight) = CrossEntropyRows(contiguous, labels, weight?.Contiguous(), ignoreIndex, labelSmoothing);
        return scope.Keep(reduction switch
        {
            Reduction.None => rowLoss,
            Reduction.Sum => rowLoss.Sum(),
            _ => rowLoss.Sum() / rowWeight.Sum(),
        });
    }

    /// <summary>
    /// The fused cross-entropy node: the loss of each row and the weight a mean divides by, from one pass over the
    /// logits; its backward is one more pass (softmax minus the smoothed, weighted target), or while the backward pass
    /// is recorded, the same formula in differentiable ops.
    /// </summary>
    private static (Tensor Loss, Tensor RowWeight) CrossEntropyRows(Tensor logits, Tensor labels, Tensor? weight, long ignoreIndex, double smoothing)
    {
        int rows = logits.Dims[0];
        var backend = logits.Backend;
        var loss = Tensor.Empty([rows], logits.DType, logits.Device);
        var rowWeight = Tensor.Empty([rows], logits.DType, logits.Device);
        var logSumExp = Tensor.Empty([rows], logits.DType, logits.Device);
        backend.CrossEntropy(logits.Buffer, labels.Buffer, weight?.Buffer, ignoreIndex, smoothing, loss.Buffer, rowWeight.Buffer, logSumExp.Buffer);
        if (Autodiff.Tape.WantsAny(logits))
        {
            Tensor[] saved = weight is null ? [logits, labels, logSumExp, rowWeight] : [logits, labels, logSumExp, rowWeight, weight];
            Autodiff.Tape.Record("CrossEntropy", loss, [logits], saved, (g, c) =>
            {
                var x = c.Saved(0);
                var savedLabels = c.Saved(1);
                var w = weight is null ? null : c.Saved(4);
                if (!Autodiff.Tape.IsGradEnabled)
                {
                    var grad = Tensor.NewOutputLike(x);
                    x.Backend.CrossEntropyGradient(x.Buffer, savedLabels.Buffer, w?.Buffer, ignoreIndex, smoothing, c.Saved(2).Buffer, g.Contiguous().Buffer, grad.Buffer);
                    return [grad];
                }
                return [CrossEntropyGradientOps(x, savedLabels, w, ignoreIndex, smoothing, c.Saved(3), g)];
            });
        }
        return (loss, rowWeight);
    }

    /// <summary>The cross-entropy gradient written with differentiable ops, for the recorded backward pass.</summary>
    private static Tensor CrossEntropyGradientOps(Tensor x, Tensor labels, Tensor? weight, long ignoreIndex, double smoothing,
        Tensor rowWeight, Tensor g)
    {
        using var scope = TensorScope.Begin();
        int classes = x.Dims[1];
        var counted = labels.Ne(ignoreIndex).To(x.DType);
        var oneHot = Tensor.OneHot(Tensor.Where(labels.Ne(ignoreIndex), labels, labels.ZerosLike()), classes, x.DType);
        var p = x.Softmax(1);
        double weightSum = weight is null ? classes : weight.Sum().Item<double>();
        double share = smoothing / classes;
        var scale = rowWeight * (1 - smoothing) + counted * (share * weightSum);
        var target = oneHot * (rowWeight * (1 - smoothing)).Unsqueeze(1)
            + (weight is null ? counted.Unsqueeze(1) * share : counted.Unsqueeze(1) * weight * share);
        return scope.Keep(g.Unsqueeze(1) * (p * scale.Unsqueeze(1) - target));
    }

    /// <summary>Squared error, like <c>torch.nn.functional.mse_loss</c> (the mean by default); shapes must match.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        if (!prediction.Dims.AsSpan().SequenceEqual(target.Dims))
            throw new ArgumentException($"MseLoss: prediction {OpChecks.Describe(prediction)} and target {OpChecks.Describe(target)} differ in shape");
        using var scope = TensorScope.Begin();
        var squared = (prediction - target).Square();
        return scope.Keep(reduction switch
        {
            Reduction.None => squared,
            Reduction.Sum => squared.Sum(),
            _ => squared.Mean(),
        });
    }

    /// <summary>One-hot rows of length <paramref name="classes"/> for integer <paramref name="indices"/>.</summary>
    public static Tensor OneHot(Tensor indices, int classes, DType dtype = DType.F32) => Tensor.OneHot(indices, classes, dtype);
}

/// <summary>How a loss combines its per-element values, like PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The (weighted) mean.</summary>
    Mean,
    /// <summary>The sum.</summary>
    Sum,
    /// <summary>One value per element (per row for cross-entropy).</summary>
    None,
}
