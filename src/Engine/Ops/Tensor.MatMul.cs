using Engine.Backends;
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
        var y = NewOutput(outShape, DType, Backend);
        try
        {
            Backend.MatMul(Buffer.BroadcastTo([.. batch, shape[^2], k]), other.Buffer.BroadcastTo([.. batch, k, other.shape[^1]]), y.Buffer);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(this);
            GC.KeepAlive(other);
        }
        if (Autodiff.Tape.WantsAny(this, other)) RecordMatMul(other, y);
        return y;
    }

    private void RecordMatMul(Tensor other, Tensor y)
    {
        int[] shapeA = shape, shapeB = other.shape;
        Autodiff.Tape.Record("MatMul", y, [this, other], [this, other], (g, c) =>
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

    /// <summary>
    /// x @ weight^T + bias, with weight of shape [out, in] as in <c>torch.nn.functional.linear</c>: one backend op (the bias
    /// is added as the product's rows are written) and one node, whose backward is two products and a sum.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        const string name = "Linear";
        OpChecks.Floating(name, input);
        OpChecks.Compatible(name, input, weight);
        if (weight.Rank != 2 || input.Rank < 1 || input.Dims[^1] != weight.Dims[1])
            throw new ArgumentException(
                $"{name}: input {OpChecks.Describe(input)} does not fit weight {OpChecks.Describe(weight)}; expected input [..., {(weight.Rank == 2 ? weight.Dims[1] : -1)}] and weight [out, in]");
        if (bias is not null)
        {
            OpChecks.Compatible(name, input, bias);
            if (bias.Rank != 1 || bias.Dims[0] != weight.Dims[0])
                throw new ArgumentException($"{name}: bias {OpChecks.Describe(bias)} should be [{weight.Dims[0]}]");
        }
        if (input.Rank == 1)
        {
            using var scope = TensorScope.Begin();
            return scope.Keep(Linear(input.Unsqueeze(0), weight, bias).Squeeze(0));
        }
        int[] outShape = [.. input.shape[..^1], weight.shape[0]];
        var y = NewOutput(outShape, input.DType, input.Backend);
        try
        {
            var transposed = new BufferView(weight.Storage, [weight.shape[1], weight.shape[0]], [weight.strides[1], weight.strides[0]], weight.offset);
            int[] batch = input.shape[..^2];
            input.Backend.MatMul(input.Buffer, transposed.BroadcastTo([.. batch, weight.shape[1], weight.shape[0]]), y.Buffer, bias?.Buffer);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            GC.KeepAlive(input);
            GC.KeepAlive(weight);
            GC.KeepAlive(bias);
        }
        if (bias is null ? Autodiff.Tape.WantsAny(input, weight) : Autodiff.Tape.WantsAny(input, weight, bias)) RecordLinear(input, weight, bias, y);
        return y;
    }

    private static void RecordLinear(Tensor input, Tensor weight, Tensor? bias, Tensor y)
    {
        int inFeatures = weight.shape[1], outFeatures = weight.shape[0];
        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        Autodiff.Tape.Record("Linear", y, inputs, [input, weight], (g, c) =>
        {
            using var scope = TensorScope.Begin();
            var grads = new Tensor?[inputs.Length];
            if (c.Needs(0)) grads[0] = scope.Keep(g.MatMul(c.Saved(1)));
            var rows = g.Reshape(-1, outFeatures);
            if (c.Needs(1)) grads[1] = scope.Keep(rows.Transpose().MatMul(c.Saved(0).Reshape(-1, inFeatures)));
            if (inputs.Length == 3 && c.Needs(2)) grads[2] = scope.Keep(rows.Sum(0));
            return grads;
        });
    }
}
