using Engine.Autodiff;
using Engine.Backends;

namespace Engine;

/// <summary>
/// An n-dimensional array on a device: a dtype, a shape, element strides and an offset into a
/// reference-counted storage that views share. Lifetime is explicit: dispose a tensor (or the
/// <see cref="TensorScope"/> it was created in) to hand its memory back; using it afterwards throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly Storage storage;
    private readonly int[] shape;
    private readonly long[] strides;
    private readonly long offset;
    private readonly bool isAlias;
    private GradIdentity? identity;
    private int disposed;

    /// <summary>Wraps a storage the caller already holds one reference to (it passes to this tensor).</summary>
    internal Tensor(Storage storage, int[] shape, long[] strides, long offset, bool registerInScope = true)
    {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        if (registerInScope) TensorScope.Register(this);
    }

    /// <summary>An internal alias: same storage, layout and autograd identity as <paramref name="original"/>.</summary>
    private Tensor(Tensor original, bool registerInScope) : this(original.storage, original.shape, original.strides, original.offset, registerInScope)
    {
        isAlias = true;
        identity = original.identity;
    }

    /// <summary>Element type.</summary>
    public DType DType => storage.DType;

    /// <summary>Device that holds the storage.</summary>
    public Device Device => storage.Backend.Device;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>A copy of the sizes of each dimension.</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>A copy of the element strides of each dimension.</summary>
    public long[] Strides => (long[])strides.Clone();

    /// <summary>Offset of the first element in the storage, in elements.</summary>
    public long Offset => offset;

    /// <summary>Total number of elements.</summary>
    public long NumElements => Shapes.NumElements(shape);

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => shape[Shapes.Axis("Size", dim, Rank)];

    /// <summary>True when elements are row-major with no gaps.</summary>
    public bool IsContiguous => Shapes.IsContiguous(shape, strides);

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (parameters, inputs); it reads true on the
    /// outputs of ops recorded by an open <see cref="Tape"/>.
    /// </summary>
    public bool RequiresGrad
    {
        get => identity is { RequiresGrad: true } || Tape.IsTracked(this);
        set
        {
            ThrowIfDisposed();
            if (value && !DType.IsFloating())
                throw new InvalidOperationException($"RequiresGrad: only floating tensors can require gradients, this one is {DType}");
            if (value) EnsureIdentity().RequiresGrad = true;
            else if (identity is not null) identity.RequiresGrad = false;
        }
    }

    /// <summary>True for a tensor whose <see cref="RequiresGrad"/> was set by the user.</summary>
    internal bool IsGradLeaf => identity is { RequiresGrad: true };

    /// <summary>
    /// Accumulated gradient filled by <see cref="Tape.Backward"/>. It belongs to this tensor, not to a
    /// scope, and is disposed when replaced, by <see cref="ZeroGrad"/>, or with this tensor.
    /// </summary>
    public Tensor? Grad
    {
        get => identity?.Grad;
        set
        {
            if (ReferenceEquals(identity?.Grad, value)) return;
            if (value is not null)
            {
                ThrowIfDisposed();
                if (!value.Dims.AsSpan().SequenceEqual(shape) || value.DType != DType || value.Device != Device)
                    throw new ArgumentException($"Grad: {Ops.OpChecks.Describe(value)} does not match the tensor {Ops.OpChecks.Describe(this)}");
                TensorScope.Detach(value);
            }
            var id = value is null ? identity : EnsureIdentity();
            if (id is null) return;
            id.Grad?.Dispose();
            id.Grad = value;
        }
    }

    /// <summary>Disposes and clears <see cref="Grad"/>.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>The autograd identity shared with this tensor's aliases, if it has one yet.</summary>
    internal GradIdentity? Identity => identity;

    internal GradIdentity EnsureIdentity() => identity ??= new GradIdentity();

    /// <summary>Gives this handle a fresh identity: the value produced by output <paramref name="index"/> of <paramref name="node"/>.</summary>
    internal GradIdentity BecomeOutputOf(Node node, int index) => identity = new GradIdentity { Producer = node, OutputIndex = index };

    /// <summary>Gives this handle a fresh identity that nothing produced: after an in-place write of a constant value.</summary>
    internal void BecomeConstant() => identity = null;

    internal Storage Storage
    {
        get
        {
            ThrowIfDisposed();
            return storage;
        }
    }

    internal int[] Dims => shape;
    internal long[] StridesRef => strides;
    internal IBackend Backend => Storage.Backend;
    internal BufferView Buffer => new(Storage, shape, strides, offset);

    /// <summary>Records that this tensor's elements were written in place (every in-place op calls it).</summary>
    internal void MarkModified() => Storage.BumpVersion();

    /// <summary>A new handle on the same elements and with the same autograd identity that keeps the storage alive on its own.</summary>
    internal Tensor Alias(bool registerInScope = true)
    {
        Storage.Retain();
        return new Tensor(this, registerInScope);
    }

    /// <summary>Releases this handle's reference to the storage (and its gradient). Safe to call more than once, from any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        if (!isAlias && identity is { } id)
        {
            id.OwnerDisposed = true;
            Interlocked.Exchange(ref id.Grad, null)?.Dispose();
        }
        storage.Release();
    }

    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref disposed) != 0)
            throw new ObjectDisposedException(nameof(Tensor), $"Tensor{Shapes.Format(shape)} {storage.DType} was used after it was disposed");
    }
}
