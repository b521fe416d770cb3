namespace Engine.Autodiff;

/// <summary>
/// Sets grad mode on this thread's current frame until disposed, then restores the previous mode. Returned by
/// <see cref="Tape.NoGrad"/> and <see cref="Tape.EnableGrad"/>; use it with <c>using</c>.
/// </summary>
public readonly struct GradMode : IDisposable
{
    private readonly GradFrame frame;
    private readonly bool previous;

    internal GradMode(bool enabled)
    {
        frame = GradFrame.Current;
        previous = frame.Enabled;
        frame.Enabled = enabled;
    }

    /// <summary>Restores the grad mode that was in effect when this guard was made.</summary>
    public void Dispose()
    {
        if (frame is not null) frame.Enabled = previous;
    }
}
