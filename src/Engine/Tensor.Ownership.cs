namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Removes this tensor from every <see cref="TensorScope"/> of this thread, so that only its owner disposes it:
    /// module parameters and buffers, optimizer state, a data loader's batches. Returns this tensor.
    /// </summary>
    public Tensor DetachFromScopes()
    {
        ThrowIfDisposed();
        TensorScope.Detach(this);
        return this;
    }
}
