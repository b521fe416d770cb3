namespace Engine;

/// <summary>
/// Disposes, at its end, every tensor created on this thread while it was the innermost scope, except
/// those moved out with <see cref="Keep"/>. Scopes nest. Typical use is one scope per training step:
/// <code>using var scope = TensorScope.Begin();</code>
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;

    private readonly TensorScope? parent;
    // A list, not a set: registering is the per-op cost (hashing a fresh object costs more than the op on a small
    // tensor), and the tensor kept or detached is nearly always one of the last registered, found from the end.
    private readonly List<Tensor> owned = [];
    private bool disposed;

    private TensorScope(TensorScope? parent) => this.parent = parent;

    /// <summary>The innermost scope of this thread, if any.</summary>
    public static TensorScope? Current => current;

    /// <summary>Starts a scope that becomes the innermost one of this thread.</summary>
    public static TensorScope Begin() => current = new TensorScope(current);

    /// <summary>Number of live tensors this scope will dispose.</summary>
    public int Count => owned.Count(t => !t.IsDisposed);

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope (or to no scope) and returns it.</summary>
    public Tensor Keep(Tensor tensor)
    {
        if (Remove(tensor)) parent?.owned.Add(tensor);
        return tensor;
    }

    internal static void Register(Tensor tensor) => current?.owned.Add(tensor);

    /// <summary>Removes a tensor from whatever scopes hold it on this thread, so only its owner disposes it.</summary>
    internal static void Detach(Tensor tensor)
    {
        for (var scope = current; scope is not null; scope = scope.parent)
            if (scope.Remove(tensor)) return;
    }

    private bool Remove(Tensor tensor)
    {
        for (int i = owned.Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(owned[i], tensor)) continue;
            owned.RemoveAt(i);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Disposes the tensors this scope owns and makes the enclosing scope current again. Throws, changing
    /// nothing, when an inner scope is still open: scopes end in the reverse order of <see cref="Begin"/>.
    /// </summary>
    public void Dispose()
    {
        if (disposed) return;
        if (!ReferenceEquals(current, this))
            throw new InvalidOperationException("TensorScope: an inner scope is still open; scopes must be disposed in the reverse order of Begin");
        disposed = true;
        current = parent;
        foreach (var tensor in owned) tensor.Dispose();
        owned.Clear();
    }
}
