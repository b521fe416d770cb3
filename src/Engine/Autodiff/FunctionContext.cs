namespace Engine.Autodiff;

/// <summary>What a <see cref="Function"/> keeps between its forward and its backward.</summary>
public sealed class FunctionContext
{
    private readonly int inputCount;
    private List<Tensor>? pending = [];
    private Node? node;
    private bool[]? needs;

    internal FunctionContext(int inputCount) => this.inputCount = inputCount;

    /// <summary>
    /// Keeps <paramref name="tensors"/> (inputs, outputs or intermediates) for <see cref="Function.Backward"/>.
    /// Call it during forward. The node holds its own handles, so the caller may dispose its tensors; modifying
    /// one in place before backward makes backward throw.
    /// </summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        if (pending is null) throw new InvalidOperationException("SaveForBackward: call it during Forward");
        foreach (var t in tensors)
        {
            t.ThrowIfDisposed();
            pending.Add(t);
        }
    }

    /// <summary>The saved tensors, in the order they were saved; readable during backward. Do not dispose them.</summary>
    public IReadOnlyList<Tensor> SavedTensors =>
        (node ?? throw new InvalidOperationException("SavedTensors: readable only during Backward")).SavedTensors();

    /// <summary>Whether input <paramref name="index"/> needs a gradient in the backward pass running now.</summary>
    public bool NeedsInputGrad(int index)
    {
        if (needs is null) throw new InvalidOperationException("NeedsInputGrad: readable only during Backward");
        if ((uint)index >= (uint)inputCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"NeedsInputGrad: the function has {inputCount} inputs");
        return needs[index];
    }

    internal Tensor[] TakeSaved()
    {
        var saved = pending!.ToArray();
        pending = null;
        return saved;
    }

    internal void BeginBackward(Node owner, bool[] inputNeeds)
    {
        node = owner;
        needs = inputNeeds;
    }
}
