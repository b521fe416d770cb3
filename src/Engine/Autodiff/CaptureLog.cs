namespace Engine.Autodiff;

/// <summary>
/// What <see cref="Grad.CapturedTensors"/> collects: one handle per distinct autograd identity that a probe tape saw
/// read from outside, in the order of first use, except those the caller already knows. The handles share storage
/// and identity with what was read.
/// </summary>
internal sealed class CaptureLog
{
    private readonly HashSet<GradIdentity> seen = new(IdentityComparer.Instance);
    private bool closed;

    /// <summary>A log that leaves out the identities of <paramref name="known"/>.</summary>
    public CaptureLog(GradFrame enclosing, IEnumerable<Tensor> known)
    {
        Enclosing = enclosing;
        foreach (var tensor in known) Ignore(tensor);
    }

    /// <summary>Leaves <paramref name="tensor"/>'s identity out from now on (for a tensor that gets one only once watched).</summary>
    public void Ignore(Tensor? tensor)
    {
        if (tensor?.Identity is { } id) seen.Add(id);
    }

    /// <summary>The frame whose tapes decide what counts as tracked.</summary>
    public GradFrame Enclosing { get; }

    public List<Tensor> Tensors { get; } = [];

    /// <summary>Stops collecting: what is read from now on (a recorded backward pass reading its cotangents) is not the body's.</summary>
    public void Close() => closed = true;

    public void Add(Tensor input, GradIdentity id)
    {
        if (!closed && seen.Add(id)) Tensors.Add(input.Alias(registerInScope: false));
    }
}
