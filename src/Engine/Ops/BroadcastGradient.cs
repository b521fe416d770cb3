namespace Engine.Ops;

/// <summary>
/// Sums a gradient back to the shape of an operand that was broadcast, like <c>Tensor.SumTo</c>, but one run of
/// consecutive reduced axes at a time: a per-channel gradient of [N, C, H, W] is the sum over (H, W), then over N.
/// Each step is a single-run reduction, which the backends do in one pass; several runs at once take a slower
/// general path.
/// </summary>
internal static class BroadcastGradient
{
    public static Tensor SumTo(Tensor gradient, int[] target)
    {
        var shape = gradient.Dims;
        if (shape.AsSpan().SequenceEqual(target)) return gradient;
        int lead = shape.Length - target.Length;
        bool Reduced(int axis) => axis < lead || target[axis - lead] == 1 && shape[axis] != 1;
        using var scope = TensorScope.Begin();
        var sum = gradient;
        for (int end = shape.Length - 1; end >= 0; end--)
        {
            if (!Reduced(end)) continue;
            int start = end;
            while (start > 0 && Reduced(start - 1)) start--;
            sum = sum.Sum([.. Enumerable.Range(start, end - start + 1)], keepDim: true);
            end = start;
        }
        return scope.Keep(sum.Reshape(target));
    }
}
