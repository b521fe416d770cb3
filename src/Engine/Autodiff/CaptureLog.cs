namespace Engine.Autodiff;

/// <summary>
/// What <see cref="Grad.CapturedTensors"/> collects: one handle per distinct autograd identity that a probe tape saw
/// read from outside, in the order of first use, except those the caller already knows. The handles share storage
/// and identity with what was read.
/// </summary>
internal sealed class CaptureLog
{
    private readonly HashSet<GradIdentity> seen = new(IdentityComparer.Instance);

    /// <summary>A log that leaves out the identities of <paramref name="known"/>.</summary>
    public CaptureLog(GradFrame enclosing, IEnumerable<Tensor> known)
    {
        Enclosing = enclosing;
        foreach (var tensor in known)
            if (tensor?.Identity is { } id) seen.Add(id);
    }

    /// <summary>The frame whose tapes decide what counts as tracked.</summary>
    public GradFrame Enclosing { get; }

    public List<Tensor> Tensors { get; } = [];

    public void Add(Tensor input, GradIdentity id)
    {
        if (seen.Add(id)) Tensors.Add(input.Alias(registerInScope: false));
    }
}
