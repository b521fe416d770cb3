using Engine.Autodiff;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Copies <paramref name="source"/> (broadcast to this shape, converted to this dtype) into this tensor's
    /// elements, in place, like <c>torch.Tensor.copy_</c>. Overlapping source and target are handled. While a tape
    /// records, copying a tracked source makes this tensor a new value whose gradient flows to the source.
    /// </summary>
    public Tensor CopyFrom(Tensor source)
    {
        const string name = "CopyFrom";
        ThrowIfDisposed();
        source.ThrowIfDisposed();
        if (source.Device != Device)
            throw new ArgumentException($"{name}: source {Ops.OpChecks.Describe(source)} is on {source.Device}, the target {Ops.OpChecks.Describe(this)} on {Device}");
        if (!Shapes.BroadcastsTo(source.shape, shape))
            throw new ArgumentException($"{name}: source {Ops.OpChecks.Describe(source)} does not broadcast to the target's shape {Shapes.Format(shape)}");
        bool record = BeginInPlace(name, source);
        if (!SameView(source))
        {
            if (Overlaps(source))
            {
                using var copy = source.ContiguousAs(source.DType);
                Backend.Copy(copy.Buffer.BroadcastTo(shape), Buffer);
            }
            else
            {
                Backend.Copy(source.Buffer.BroadcastTo(shape), Buffer);
            }
            MarkModified();
        }
        int[] sourceShape = source.shape;
        var sourceDType = source.DType;
        bool recorded = record && DType.IsFloating() && source.DType.IsFloating()
            && Tape.Record(name, this, [source], [], (g, _) => [g.SumTo(sourceShape).To(sourceDType)]);
        if (!recorded) EndInPlaceAsConstant();
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>, in place, like <c>torch.Tensor.fill_</c>.</summary>
    public Tensor Fill(double value)
    {
        ThrowIfDisposed();
        BeginInPlace("Fill");
        Backend.Fill(Buffer, value);
        MarkModified();
        EndInPlaceAsConstant();
        return this;
    }

    /// <summary>
    /// Checks that this tensor may be written in place now and says whether the write must be recorded: it must when
    /// an open tape tracks this tensor or one of <paramref name="sources"/>. A leaf that requires gradients cannot be
    /// written while recording, nor can a view (the tensor it views would not learn of the write).
    /// </summary>
    private bool BeginInPlace(string op, params ReadOnlySpan<Tensor> sources)
    {
        if (!Tape.IsRecording) return false;
        bool tracked = Tape.IsTracked(this);
        foreach (var source in sources) tracked |= Tape.IsTracked(source);
        if (!tracked) return false;
        if (IsGradLeaf)
            throw new InvalidOperationException(
                $"{op}: {Ops.OpChecks.Describe(this)} is a leaf that requires gradients and cannot be modified in place while a tape records; " +
                "update it under Tape.NoGrad() (as an optimizer step does)");
        if (!CoversStorage)
            throw new InvalidOperationException(
                $"{op}: {Ops.OpChecks.Describe(this)} is a view of a larger storage ({Storage.Length} elements); a recorded in-place write into a view " +
                "would not reach the tensor it views. Build the result out of place (Tensor.Concat, Tensor.Stack, IndexAdd, Tensor.Where) or write under Tape.NoGrad()");
        return true;
    }

    /// <summary>After an unrecorded write a produced value is no longer what its node produced: it becomes a constant.</summary>
    private void EndInPlaceAsConstant()
    {
        if (Identity is { Producer: not null }) BecomeConstant();
    }

    /// <summary>True when this tensor's elements are exactly its storage's elements, each once.</summary>
    private bool CoversStorage => IsContiguous && offset == 0 && NumElements == Storage.Length;

    private bool SameView(Tensor other) =>
        ReferenceEquals(storage, other.storage) && offset == other.offset && shape.AsSpan().SequenceEqual(other.shape)
        && strides.AsSpan().SequenceEqual(other.strides) && DType == other.DType;

    /// <summary>True when the element ranges this tensor and <paramref name="other"/> span in one storage intersect.</summary>
    private bool Overlaps(Tensor other)
    {
        if (!ReferenceEquals(storage, other.storage) || NumElements == 0 || other.NumElements == 0) return false;
        var (first, last) = ElementRange();
        var (otherFirst, otherLast) = other.ElementRange();
        return first <= otherLast && otherFirst <= last;
    }

    private (long First, long Last) ElementRange()
    {
        long last = offset;
        for (int d = 0; d < Rank; d++) last += (shape[d] - 1) * strides[d];
        return (offset, last);
    }
}
