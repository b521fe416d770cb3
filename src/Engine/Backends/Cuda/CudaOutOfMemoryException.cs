namespace Engine;

/// <summary>
/// A CUDA device has no memory left for a request even after the caching allocator returned its cached blocks.
/// The message says how much was asked for, how much tensors hold and how much the allocator has reserved.
/// </summary>
public sealed class CudaOutOfMemoryException : OutOfMemoryException
{
    /// <summary>Creates the exception with the allocator's figures.</summary>
    public CudaOutOfMemoryException(string message) : base(message)
    {
    }
}
