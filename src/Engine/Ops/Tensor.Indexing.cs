using Engine.Ops;

namespace Engine;

/// <summary>
/// One position in a tensor index (<c>x[1..^1, 0]</c>): an integer picks one element and removes the dimension,
/// a range (<c>..</c>, <c>1..^1</c>) keeps a slice, <see cref="NewAxis"/> inserts a size-1 dimension and
/// <see cref="Ellipsis"/> stands for as many full dimensions as needed. Converts implicitly from int, Index and Range.
/// </summary>
public readonly struct TensorIndex
{
    private enum Kind { Element, Slice, NewAxisKind, EllipsisKind }

    private readonly Kind kind;
    private readonly Index element;
    private readonly System.Range range;
    private readonly int step;

    private TensorIndex(Kind kind, Index element = default, System.Range range = default, int step = 1)
    {
        this.kind = kind;
        this.element = element;
        this.range = range;
        this.step = step;
    }

    /// <summary>Inserts a dimension of size 1 (<c>None</c> in PyTorch).</summary>
    public static TensorIndex NewAxis { get; } = new(Kind.NewAxisKind);

    /// <summary>As many full dimensions as the other entries leave (<c>...</c> in PyTorch).</summary>
    public static TensorIndex Ellipsis { get; } = new(Kind.EllipsisKind);

    /// <summary>Every <paramref name="step"/>-th element of <paramref name="range"/>.</summary>
    public static TensorIndex Slice(System.Range range, int step)
    {
        if (step <= 0) throw new ArgumentException($"TensorIndex.Slice: step must be positive, got {step}");
        return new(Kind.Slice, range: range, step: step);
    }

    /// <summary>Picks one element (negative counts from the end, as in PyTorch).</summary>
    public static implicit operator TensorIndex(int index) => new(Kind.Element, index < 0 ? Index.FromEnd(-index) : Index.FromStart(index));

    /// <summary>Picks one element (<c>^1</c> is the last).</summary>
    public static implicit operator TensorIndex(Index index) => new(Kind.Element, index);

    /// <summary>Keeps a slice.</summary>
    public static implicit operator TensorIndex(System.Range range) => new(Kind.Slice, range: range);

    internal bool IsEllipsis => kind == Kind.EllipsisKind;
    internal bool IsNewAxis => kind == Kind.NewAxisKind;
    internal bool ConsumesDimension => kind is Kind.Element or Kind.Slice;

    /// <summary>Applies this entry to dimension <paramref name="dim"/> of <paramref name="x"/>; returns the view and whether the dimension stays.</summary>
    internal Tensor Apply(Tensor x, int dim, out bool keepsDimension)
    {
        int size = x.Size(dim);
        if (kind == Kind.Slice)
        {
            var (start, length) = range.GetOffsetAndLength(size);
            keepsDimension = true;
            return x.Slice(dim, start, start + length, step);
        }
        int position = element.GetOffset(size);
        if (position < 0 || position >= size)
            throw new IndexOutOfRangeException($"Index: {element} is out of range for dimension {dim} of size {size} in {OpChecks.Describe(x)}");
        keepsDimension = false;
        return x.Narrow(dim, position, 1);
    }
}

public sealed partial class Tensor
{
    /// <summary>
    /// A view selected by C# indices and ranges, as <c>x[..., 0]</c> or <c>x[1:-1]</c> in PyTorch:
    /// <c>x[.., 0]</c>, <c>x[1..^1]</c>, <c>x[TensorIndex.Ellipsis, 0]</c>. Setting copies the value into that view
    /// in place (<see cref="CopyFrom"/>).
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("Indexer")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Select(indices);
        set
        {
            using var view = Select(indices);
            view.CopyFrom(value);
        }
    }

    private Tensor Select(TensorIndex[] indices)
    {
        ThrowIfDisposed();
        int ellipses = indices.Count(i => i.IsEllipsis);
        if (ellipses > 1) throw new ArgumentException("Index: at most one Ellipsis is allowed");
        int consumed = indices.Count(i => i.ConsumesDimension);
        if (consumed > Rank)
            throw new ArgumentException($"Index: {consumed} indices for a tensor of rank {Rank} ({OpChecks.Describe(this)})");
        using var scope = TensorScope.Begin();
        var result = this;
        int dim = 0;
        var dropped = new List<int>();
        foreach (var index in indices)
        {
            if (index.IsEllipsis)
            {
                dim += Rank - consumed;
                continue;
            }
            if (index.IsNewAxis)
            {
                result = result.Unsqueeze(dim++);
                continue;
            }
            result = index.Apply(result, dim, out bool keeps);
            if (!keeps) dropped.Add(dim);
            dim++;
        }
        for (int i = dropped.Count - 1; i >= 0; i--) result = result.Squeeze(dropped[i]);
        return scope.Keep(ReferenceEquals(result, this) ? IdentityView("Index") : result);
    }
}
