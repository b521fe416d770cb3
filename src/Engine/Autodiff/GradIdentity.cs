namespace Engine.Autodiff;

/// <summary>
/// The autograd identity of one value, shared by every handle on it: the tensor the user holds and the
/// aliases that nodes save for backward. Because a saved alias carries the same identity, ops on it during a
/// recorded backward pass connect to the graph that produced the value (gradients of gradients).
/// </summary>
internal sealed class GradIdentity
{
    [ThreadStatic] private static int created;

    /// <summary>A cheap, well-spread hash: hashing an object by address costs a header update on first use.</summary>
    public readonly int Hash = ++created * -1640531535;

    /// <summary>Set by the user on leaves (parameters, inputs): every tape tracks this value.</summary>
    public bool RequiresGrad;

    /// <summary>Gradient accumulated by <see cref="Tape.Backward"/>; owned by the primary handle.</summary>
    public Tensor? Grad;

    /// <summary>The node that produced this value, or null for leaves and constants.</summary>
    public Node? Producer;

    /// <summary>Which output of <see cref="Producer"/> this value is.</summary>
    public int OutputIndex;

    /// <summary>True once the user's handle (not an internal alias) was disposed: its gradient has no owner left.</summary>
    public bool OwnerDisposed;
}

/// <summary>Reference equality with <see cref="GradIdentity.Hash"/> for the backward pass's maps and sets.</summary>
internal sealed class IdentityComparer : IEqualityComparer<GradIdentity>
{
    public static IdentityComparer Instance { get; } = new();

    public bool Equals(GradIdentity? x, GradIdentity? y) => ReferenceEquals(x, y);

    public int GetHashCode(GradIdentity obj) => obj.Hash;
}
