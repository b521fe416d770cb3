using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with <c>torch.matmul</c> semantics: 1-D operands are treated as a row (left) or
    /// column (right) vector and that dimension is removed from the result; batch dimensions broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        const string name = "MatMul";
        OpChecks.Compatible(name, this, other);
        OpChecks.Floating(name, this);
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"{name}: both operands need at least one dimension, got {Shapes.Format(shape)} and {Shapes.Format(other.shape)}");
        if (Rank == 1 || other.Rank == 1)
        {
            using var scope = TensorScope.Begin();
            var left = Rank == 1 ? Unsqueeze(0) : this;
            var right = other.Rank == 1 ? other.Unsqueeze(-1) : other;
            var product = left.MatMul(right);
            if (Rank == 1) product = product.Squeeze(-2);
            if (other.Rank == 1) product = product.Squeeze(-1);
            return scope.Keep(product);
        }
        int k = shape[^1];
        if (other.shape[^2] != k)
            throw new ArgumentException(
                $"{name}: inner dimensions differ: {Shapes.Format(shape)} @ {Shapes.Format(other.shape)} ({k} vs {other.shape[^2]})");
        var batch = Shapes.Broadcast(name, shape[..^2], other.shape[..^2]);
        int[] outShape = [.. batch, shape[^2], other.shape[^1]];
        var y = Empty(outShape, DType, Device);
        try
        {
            Backend.MatMul(Buffer.BroadcastTo([.. batch, shape[^2], k]), other.Buffer.BroadcastTo([.. batch, k, other.shape[^1]]), y.Buffer);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        int[] shapeA = shape, shapeB = other.shape;
        return y.Record(name, [this, other], [this, other], (g, c) =>
        [
            c.Needs(0) ? ReduceBatch(g.MatMul(c.Saved(1).Transpose()), shapeA) : null,
            c.Needs(1) ? ReduceBatch(c.Saved(0).Transpose().MatMul(g), shapeB) : null,
        ]);
    }

    private static Tensor ReduceBatch(Tensor grad, int[] shape)
    {
        var reduced = grad.SumTo(shape);
        if (!ReferenceEquals(reduced, grad)) grad.Dispose();
        return reduced;
    }

    /// <summary>x @ weight^T + bias, with weight of shape [out, in] as in <c>torch.nn.functional.linear</c>.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || input.Rank < 1 || input.Dims[^1] != weight.Dims[1])
            throw new ArgumentException(
                $"Linear: input {OpChecks.Describe(input)} does not fit weight {OpChecks.Describe(weight)}; expected input [..., {(weight.Rank == 2 ? weight.Dims[1] : -1)}] and weight [out, in]");
        if (bias is not null && (bias.Rank != 1 || bias.Dims[0] != weight.Dims[0]))
            throw new ArgumentException($"Linear: bias {OpChecks.Describe(bias)} should be [{weight.Dims[0]}]");
        using var scope = TensorScope.Begin();
        var product = input.MatMul(weight.Transpose());
        return scope.Keep(bias is null ? product : product + bias);
    }
}
