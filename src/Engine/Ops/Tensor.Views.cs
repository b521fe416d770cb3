using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>A new handle on this storage with the given layout (not recorded).</summary>
    private Tensor MakeView(int[] newShape, long[] newStrides, long newOffset)
    {
        Storage.Retain();
        return new Tensor(storage, newShape, newStrides, newOffset);
    }

    /// <summary>A handle on the same elements, recorded with an identity gradient.</summary>
    private Tensor IdentityView(string name)
    {
        var y = MakeView(shape, strides, offset);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) Autodiff.Tape.Record(name, y, [this], [], PassThrough);
        return y;
    }

    /// <summary>The backward rule of ops whose gradient is the incoming gradient itself.</summary>
    private static readonly Autodiff.BackwardRule PassThrough = (g, _) => [g];

    /// <summary>The same elements with a new shape (one size may be -1); a view when the strides allow it, else a copy.</summary>
    public Tensor Reshape(params int[] newShape)
    {
        ThrowIfDisposed();
        newShape = InferShape("Reshape", newShape);
        var viewStrides = ViewStrides(newShape);
        if (viewStrides is null)
        {
            using var contiguous = Contiguous();
            return contiguous.Reshape(newShape);
        }
        var y = MakeView(newShape, viewStrides, offset);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordReshape(y);
        return y;
    }

    private void RecordReshape(Tensor y)
    {
        int[] original = shape;
        Autodiff.Tape.Record("Reshape", y, [this], [], (g, _) => [g.Reshape(original)]);
    }

    /// <summary>Like <see cref="Reshape"/> but throws when the result would need a copy.</summary>
    public Tensor View(params int[] newShape)
    {
        ThrowIfDisposed();
        newShape = InferShape("View", newShape);
        if (ViewStrides(newShape) is null)
            throw new InvalidOperationException(
                $"View: a tensor of shape {Shapes.Format(shape)} and strides {Shapes.Format(strides.Select(s => (int)s).ToArray())} cannot be viewed as {Shapes.Format(newShape)}; use Reshape or Contiguous");
        return Reshape(newShape);
    }

    /// <summary>All dimensions from <paramref name="startDim"/> to <paramref name="endDim"/> merged into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int start = Shapes.Axis("Flatten", startDim, Rank), end = Shapes.Axis("Flatten", endDim, Rank);
        if (start > end) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim}");
        var merged = shape[..start].Append(checked((int)Shapes.NumElements(shape[start..(end + 1)]))).Concat(shape[(end + 1)..]);
        return Reshape(merged.ToArray());
    }

    /// <summary>Dimension <paramref name="dim"/> (of size 1) removed; every size-1 dimension when null.</summary>
    public Tensor Squeeze(int? dim = null)
    {
        if (dim is null) return Reshape(shape.Where(d => d != 1).ToArray());
        int axis = Shapes.Axis("Squeeze", dim.Value, Rank);
        if (shape[axis] != 1)
            throw new ArgumentException($"Squeeze: dimension {dim} of shape {Shapes.Format(shape)} has size {shape[axis]}, expected 1");
        return Reshape(shape.Where((_, i) => i != axis).ToArray());
    }

    /// <summary>A size-1 dimension inserted at <paramref name="dim"/> (negative counts from the end of the result).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int axis = Shapes.Axis("Unsqueeze", dim, Rank + 1);
        var list = shape.ToList();
        list.Insert(axis, 1);
        return Reshape(list.ToArray());
    }

    /// <summary>Dimensions reordered: result dimension i is this tensor's dimension order[i].</summary>
    public Tensor Permute(params int[] order)
    {
        ThrowIfDisposed();
        if (order.Length != Rank)
            throw new ArgumentException($"Permute: order [{string.Join(", ", order)}] has {order.Length} entries for a tensor of rank {Rank}");
        var newShape = new int[Rank];
        var newStrides = new long[Rank];
        Span<bool> used = stackalloc bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int axis = Shapes.Axis("Permute", order[i], Rank);
            if (used[axis]) throw new ArgumentException($"Permute: order [{string.Join(", ", order)}] is not a permutation");
            used[axis] = true;
            newShape[i] = shape[axis];
            newStrides[i] = strides[axis];
        }
        var y = MakeView(newShape, newStrides, offset);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordPermute(y, order);
        return y;
    }

    private void RecordPermute(Tensor y, int[] order)
    {
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[Shapes.Axis("Permute", order[i], Rank)] = i;
        Autodiff.Tape.Record("Permute", y, [this], [], (g, _) => [g.Permute(inverse)]);
    }

    /// <summary>Dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var order = new int[Rank];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        int a = Shapes.Axis("Transpose", dim0, Rank), b = Shapes.Axis("Transpose", dim1, Rank);
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The transpose of a matrix; the last two dimensions swapped for higher ranks.</summary>
    public Tensor Transpose()
    {
        if (Rank < 2) throw new ArgumentException($"Transpose: needs at least 2 dimensions, got {Shapes.Format(shape)}");
        return Transpose(-2, -1);
    }

    /// <summary>The transpose of the last two dimensions (<c>torch.Tensor.mT</c>); needs at least 2 dimensions.</summary>
    public Tensor MT => Transpose();

    /// <summary>Elements start, start + step, ... below end along <paramref name="dim"/> (a view; negative start/end count from the end).</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        ThrowIfDisposed();
        int axis = Shapes.Axis("Slice", dim, Rank), size = shape[axis];
        if (step <= 0) throw new ArgumentException($"Slice: step must be positive, got {step}");
        int first = Math.Clamp(start < 0 ? start + size : start, 0, size);
        int last = Math.Clamp(end < 0 ? end + size : end, first, size);
        int count = (last - first + step - 1) / step;
        var newShape = (int[])shape.Clone();
        var newStrides = (long[])strides.Clone();
        newShape[axis] = count;
        newStrides[axis] *= step;
        var y = MakeView(newShape, newStrides, offset + first * strides[axis]);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordSlice(y, axis, first, step);
        return y;
    }

    private void RecordSlice(Tensor y, int axis, int first, int step)
    {
        int[] original = shape;
        Autodiff.Tape.Record("Slice", y, [this], [], (g, _) => [EmbedSlice(g, original, axis, first, step)]);
    }

    /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int axis = Shapes.Axis("Narrow", dim, Rank);
        if (start < 0 || length < 0 || start + length > shape[axis])
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: [{start}, {start + length}) is outside dimension {dim} of size {shape[axis]}");
        return Slice(axis, start, start + length);
    }

    /// <summary>Zeros of <paramref name="shape"/> with <paramref name="g"/> written into the slice; the adjoint of <see cref="Slice"/>.</summary>
    private static Tensor EmbedSlice(Tensor g, int[] shape, int axis, int start, int step)
    {
        // An empty slice must end at start: start - step + 1 can be negative, which Slice counts from the back.
        int end = g.shape[axis] == 0 ? start : start + (g.shape[axis] - 1) * step + 1;
        var y = Zeros(shape, g.DType, g.Device);
        using (var target = y.Slice(axis, start, end, step))
            g.Backend.Copy(g.Buffer, target.Buffer);
        return y.Record("EmbedSlice", [g], [], (gy, _) => [gy.Slice(axis, start, end, step)]);
    }

    /// <summary>Size-1 dimensions repeated (stride 0) to <paramref name="newShape"/>; -1 keeps a size. Like <c>torch.expand</c>.</summary>
    public Tensor Expand(params int[] newShape)
    {
        ThrowIfDisposed();
        int pad = newShape.Length - Rank;
        if (pad < 0) throw new ArgumentException($"Expand: cannot expand {Shapes.Format(shape)} to fewer dimensions {Shapes.Format(newShape)}");
        for (int i = 0; i < newShape.Length; i++)
            if (newShape[i] < -1 || newShape[i] == -1 && i < pad)
                throw new ArgumentException(
                    $"Expand: size {newShape[i]} at dimension {i} of {Shapes.Format(newShape)} is not allowed for {Shapes.Format(shape)}; " +
                    "-1 (keep the size) can only stand for an existing dimension, and other sizes must be non-negative");
        var target = newShape.Select((d, i) => d == -1 ? shape[i - pad] : d).ToArray();
        for (int i = 0; i < Rank; i++)
            if (shape[i] != 1 && shape[i] != target[i + pad])
                throw new ArgumentException($"Expand: cannot expand {Shapes.Format(shape)} to {Shapes.Format(newShape)}; only size-1 dimensions can grow");
        var view = Buffer.BroadcastTo(target);
        var y = MakeView(target, view.Strides, offset);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordExpand(y);
        return y;
    }

    private void RecordExpand(Tensor y)
    {
        int[] original = shape;
        Autodiff.Tape.Record("Expand", y, [this], [], (g, _) => [g.SumTo(original)]);
    }

    /// <summary>This tensor broadcast to <paramref name="newShape"/> by NumPy rules (a view).</summary>
    public Tensor BroadcastTo(params int[] newShape)
    {
        Shapes.Broadcast("BroadcastTo", shape, newShape);
        return Expand(newShape);
    }

    /// <summary>
    /// Sums a broadcast gradient back to <paramref name="target"/>: leading dims are summed away and dims
    /// where the target has size 1 are summed in place. Returns this tensor when the shapes already match.
    /// </summary>
    internal Tensor SumTo(int[] target)
    {
        if (shape.AsSpan().SequenceEqual(target)) return this;
        int lead = Rank - target.Length;
        var axes = Enumerable.Range(0, Rank).Where(i => i < lead || target[i - lead] == 1 && shape[i] != 1).ToArray();
        using var summed = Sum(axes, keepDim: true);
        return summed.Reshape(target);
    }

    /// <summary>A row-major copy, or a new handle on the same elements when already contiguous.</summary>
    public Tensor Contiguous()
    {
        ThrowIfDisposed();
        return IsContiguous ? IdentityView("Contiguous") : Clone();
    }

    /// <summary>A contiguous copy of the elements.</summary>
    public Tensor Clone()
    {
        ThrowIfDisposed();
        var y = NewOutput(shape, DType, Backend);
        Backend.Copy(Buffer, y.Buffer);
        if (DType.IsFloating() && Autodiff.Tape.WantsAny(this)) Autodiff.Tape.Record("Clone", y, [this], [], PassThrough);
        return y;
    }

    /// <summary>A handle on the same elements that no tape tracks.</summary>
    public Tensor Detach()
    {
        ThrowIfDisposed();
        return MakeView(shape, strides, offset);
    }

    /// <summary>The elements converted to <paramref name="dtype"/>; gradients flow between floating dtypes.</summary>
    public Tensor To(DType dtype)
    {
        ThrowIfDisposed();
        if (dtype == DType) return IdentityView("To");
        var y = NewOutput(shape, dtype, Backend);
        Backend.Copy(Buffer, y.Buffer);
        if (DType.IsFloating() && dtype.IsFloating() && Autodiff.Tape.WantsAny(this)) RecordTo(y);
        return y;
    }

    private void RecordTo(Tensor y)
    {
        var source = DType;
        Autodiff.Tape.Record("To", y, [this], [], (g, _) => [g.To(source)]);
    }

    private int[] InferShape(string op, int[] requested)
    {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            int d = requested[i];
            if (d < -1 || d == -1 && unknown >= 0)
                throw new ArgumentException($"{op}: shape {Shapes.Format(requested)} may hold at most one -1 and no other negative size");
            if (d == -1) unknown = i;
            else known *= d;
        }
        var result = (int[])requested.Clone();
        if (unknown >= 0)
        {
            if (known == 0 || NumElements % known != 0)
                throw new ArgumentException($"{op}: cannot infer -1 in {Shapes.Format(requested)} for {NumElements} elements of shape {Shapes.Format(shape)}");
            result[unknown] = (int)(NumElements / known);
        }
        if (Shapes.NumElements(result) != NumElements)
            throw new ArgumentException($"{op}: shape {Shapes.Format(shape)} ({NumElements} elements) cannot become {Shapes.Format(requested)}");
        return result;
    }

    /// <summary>Strides that show this tensor's elements with <paramref name="newShape"/>, or null when a copy is needed.</summary>
    private long[]? ViewStrides(int[] newShape)
    {
        if (IsContiguous || NumElements <= 1) return Shapes.ContiguousStrides(newShape);
        var result = new long[newShape.Length];
        int viewDim = newShape.Length - 1;
        long chunkStride = strides[^1], tensorCount = 1, viewCount = 1;
        for (int d = Rank - 1; d >= 0; d--)
        {
            tensorCount *= shape[d];
            bool chunkEnds = d == 0 || shape[d - 1] != 1 && strides[d - 1] != tensorCount * chunkStride;
            if (!chunkEnds) continue;
            while (viewDim >= 0 && (viewCount < tensorCount || newShape[viewDim] == 1))
            {
                result[viewDim] = viewCount * chunkStride;
                viewCount *= newShape[viewDim];
                viewDim--;
            }
            if (viewCount != tensorCount) return null;
            if (d > 0)
            {
                chunkStride = strides[d - 1];
                tensorCount = 1;
                viewCount = 1;
            }
        }
        return viewDim == -1 ? result : null;
    }
}
